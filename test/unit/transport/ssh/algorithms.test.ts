// relaysync's copy of OpenSSH's algorithm lists must be OpenSSH's: `ssh -Q`
// lists every name it knows, `ssh -G` with no configuration the defaults.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { openSshAlgorithms, type AlgorithmKind } from '../../../../src/transport/ssh/algorithms.js';

const QUERIES: Record<AlgorithmKind, string> = { ciphers: 'cipher', macs: 'mac', kexalgorithms: 'kex', hostkeyalgorithms: 'key-sig' };

const defaults = new Map(
  execFileSync('ssh', ['-G', '-F', '/dev/null', 'x'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => [line.split(' ')[0]!, line.split(' ')[1] ?? ''] as const),
);

describe("OpenSSH's algorithm lists", () => {
  for (const kind of Object.keys(QUERIES) as AlgorithmKind[]) {
    it(`${kind}: every name ssh -Q ${QUERIES[kind]} knows, and the defaults ssh -G prints`, () => {
      const known = execFileSync('ssh', ['-Q', QUERIES[kind]], { encoding: 'utf8' }).trim().split('\n');
      assert.deepEqual(openSshAlgorithms(kind).all, known);
      assert.deepEqual(openSshAlgorithms(kind).defaults, defaults.get(kind)!.split(','));
    });
  }
});
