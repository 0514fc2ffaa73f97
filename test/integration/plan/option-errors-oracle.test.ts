// Oracle test for wrong option values and combinations: relaysync refuses
// what rsync 3.5.0 refuses, with rsync's words and exit code, and accepts
// what it accepts. (rsync's "rsync: " prefix is relaysync's "relaysync: ".)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { openRsyncOracle } from './rsync-oracle.js';

const oracle = openRsyncOracle();
after(() => oracle.close());

const REFUSED: readonly (readonly string[])[] = [
  ['--max-delete=abc'],
  ['--max-delete=99999999999'],
  ['--max-delete=08'],
  ['--timeout=1x'],
  ['-@x'],
  ['--chmod=u+q'],
  ['--chmod='],
  ['--chmod=u+x,'],
  ['--chmod=ug+us'],
  ['--chmod=Fg+w,DF+x'],
  ['--chmod=u755'],
  ['--chmod=10000'],
  ['--max-size=1Q'],
  ['--max-size=-1'],
  ['--max-size=1.5.5'],
  ['--max-size=9999999999P'],
  ['--min-size=5kx'],
  ['--bwlimit=100b'],
  ['--block-size=1G'],
  ['--block-size=200K'],
  ['-B', '200K', '--protocol=29'],
  ['--max-alloc=10'],
  ['--max-alloc=abc'],
  ['--cc=bogus'],
  ['--cc=md5,bogus'],
  ['--cc=bogus,md5'],
  ['--cc='],
  ['--zc=bogus'],
  ['--zc='],
  ['--info=bogus'],
  ['--info=name,foo3'],
  ['--info=5x'],
  ['--debug=nope'],
  ['-f', 'bogus'],
  ['-f', '-X foo'],
  ['-f', 'clear foo'],
  ['-f', '- '],
  ['-f', '+'],
  ['-f', 'merge,!x'],
  ['-f', 'P,s x'],
  ['-f', 'H,r x'],
  ['-f', 'excludex y'],
  ['-f', ':C,- x'],
  ['--exclude=- '],
  ['--include=+ '],
  ['--link-dest=a', '--copy-dest=b'],
  Array.from({ length: 21 }, (_, i) => `--link-dest=${i}`),
  ['--usermap=a:b', '--usermap=c:d'],
  ['--chown=a:b', '--usermap=c:d'],
  ['--usermap=c:d', '--chown=a'],
  ['--chown=a', '--chown=b'],
  ['--groupmap=x:y', '--chown=:g'],
  ['--fake-super', '-XX'],
  ['-s', '--old-args'],
  ['--old-args', '-s'],
  ['--delete-before', '--delete-after'],
  ['--del', '--delete-delay'],
  ['--delete'],
  ['-d', '--no-d', '--delete'],
  ['--suffix=a/b'],
  ['-b', '--suffix='],
  ['--backup-dir=.', '-b'],
  ['--backup-dir=./'],
  ['--append', '-W'],
  ['--inplace', '--partial-dir=x'],
  ['--append', '--delay-updates'],
  ['--write-devices', '--partial-dir=x'],
  ['--contimeout=5'],
  ['--files-from=h:-'],
];

const ACCEPTED: readonly (readonly string[])[] = [
  ['--chmod=D755'],
  ['--chmod=u=g'],
  ['--chmod=ug+rs,o-t'],
  ['--chmod=F-w,Dg+s,a+X'],
  ['--bwlimit=1'],
  ['--bwlimit=0'],
  ['--protocol=29', '-B', '200K'],
  ['-f', '!,'],
  ['-f', 'dir-merge,n- .x'],
  ['-f', 'exclude_x'],
  ['-f', ':C'],
  ['-f', '-C'],
  ['--exclude='],
  ['--max-delete='],
  ['--max-delete=0x10'],
  ['--cc=auto,xxh3'],
  ['--zc=AUTO'],
  ['--info=ALL4,name0,stats'],
  ['--chown=:'],
  ['-r', '--delete-excluded'],
  ['-d', '--delete'],
  ['--backup-dir=.', '--suffix=.old'],
];

describe('option values and combinations', () => {
  for (const args of REFUSED) {
    it(`refuses ${args.join(' ')} as rsync does`, () => {
      const expected = oracle.refusal([...args, 'host:src/', 'dst/']);
      assert.ok(expected, 'rsync accepted it');
      assert.throws(
        () => parseCommandLine([...args, 'host:src/', 'dst/'], {}),
        (err: unknown) => {
          assert.ok(err instanceof CliError);
          assert.equal(err.message.split('\n')[0]!.replace(/^relaysync: /, ''), expected.message.replace(/^rsync: /, ''));
          assert.equal(err.exitCode, expected.code);
          return true;
        },
      );
    });
  }
  for (const args of ACCEPTED) {
    it(`accepts ${args.join(' ')} as rsync does`, () => {
      assert.equal(oracle.refusal([...args, 'host:src/', 'dst/']), undefined);
      parseCommandLine([...args, 'host:src/', 'dst/'], {});
    });
  }
});
