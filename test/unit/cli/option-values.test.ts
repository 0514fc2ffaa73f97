import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { cleanPath, parseSize, poptInt, type SizeLimits } from '../../../src/cli/option-values.js';

const bytes: SizeLimits = { defaultUnit: 'b', min: 0n, zeroIsUnlimited: false };

function refused(run: () => unknown, message: string): void {
  assert.throws(run, (err: unknown) => err instanceof CliError && err.message === `relaysync: ${message}` && err.exitCode === 1);
}

describe('poptInt', () => {
  it('reads integers as strtoll with base 0 does', () => {
    assert.equal(poptInt('42', 'x'), 42);
    assert.equal(poptInt('-7', 'x'), -7);
    assert.equal(poptInt('+7', 'x'), 7);
    assert.equal(poptInt(' 7', 'x'), 7);
    assert.equal(poptInt('0x1F', 'x'), 31);
    assert.equal(poptInt('017', 'x'), 15);
    assert.equal(poptInt('0', 'x'), 0);
    assert.equal(poptInt('', 'x'), 0);
  });

  it('refuses what popt refuses, quoting the option as given', () => {
    for (const bad of ['7 ', '08', '0x', '1.5', '-', 'abc', ' ']) refused(() => poptInt(bad, '--n=' + bad), `--n=${bad}: invalid numeric value`);
    refused(() => poptInt('2147483648', '-@2147483648'), '-@2147483648: number too large or too small');
    assert.equal(poptInt('-2147483648', 'x'), -2147483648);
  });
});

describe('parseSize', () => {
  it('reads units in 1024s, in 1000s with B, and in 1024s with iB', () => {
    assert.equal(parseSize('100', 'x', bytes), 100n);
    assert.equal(parseSize('1k', 'x', bytes), 1024n);
    assert.equal(parseSize('1KB', 'x', bytes), 1000n);
    assert.equal(parseSize('1KiB', 'x', bytes), 1024n);
    assert.equal(parseSize('1.5m', 'x', bytes), 1572864n);
    assert.equal(parseSize('2G', 'x', bytes), 2n ** 31n);
    assert.equal(parseSize('1T', 'x', bytes), 2n ** 40n);
    assert.equal(parseSize('1P', 'x', bytes), 2n ** 50n);
    assert.equal(parseSize('8191P', 'x', bytes), 8191n * 2n ** 50n);
  });

  it('takes a bare number in the default unit, and +1 or -1 after the unit', () => {
    assert.equal(parseSize('2', 'x', { ...bytes, defaultUnit: 'K' }), 2048n);
    assert.equal(parseSize('1M-1', 'x', bytes), 1048575n);
    assert.equal(parseSize('1KB+1', 'x', bytes), 1001n);
    assert.equal(parseSize('10-1', 'x', bytes), 9n);
  });

  it('reads what strtod reads: nothing or a lone point is 0', () => {
    assert.equal(parseSize('K', 'x', bytes), 0n);
    assert.equal(parseSize('.K', 'x', bytes), 0n);
    assert.equal(parseSize('.5K', 'x', bytes), 512n);
  });

  it("refuses in rsync's words, with the limit when there is one", () => {
    refused(() => parseSize('1Q', 'max-size', bytes), '--max-size=1Q is invalid');
    refused(() => parseSize('1Kx', 'max-size', bytes), '--max-size=1Kx is invalid');
    refused(() => parseSize('-1', 'max-size', bytes), '--max-size=-1 is too large');
    refused(() => parseSize('8192P', 'max-size', bytes), '--max-size=8192P is too large');
    refused(() => parseSize('1M', 'block-size', { ...bytes, max: 1n << 17n }), '--block-size=1M is too large (max: 128.00K)');
    refused(() => parseSize('10', 'max-alloc', { defaultUnit: 'B', min: 1n << 20n, zeroIsUnlimited: true }), '--max-alloc=10 is too small (min: 1.00M or 0 for unlimited)');
    assert.equal(parseSize('0', 'max-alloc', { defaultUnit: 'B', min: 1n << 20n, zeroIsUnlimited: true }), 0n);
  });
});

describe('cleanPath', () => {
  it('cleans as clean_fname collapsing "..", from 3.5.0 on', () => {
    const cases: [string, string][] = [
      ['a//b/', 'a/b'],
      ['./a/./b', 'a/b'],
      ['a/../b', 'b'],
      ['a/b/../../c', 'c'],
      ['../x', '../x'],
      ['../../x/../y', '../../y'],
      ['/../a', '/a'],
      ['/a/b/..', '/a'],
      ['.', '.'],
      ['./', '.'],
      ['a/..', '.'],
      ['/', '/'],
      ['.~tmp~', '.~tmp~'],
    ];
    for (const [name, cleaned] of cases) assert.equal(cleanPath(name), cleaned, name);
  });
});
