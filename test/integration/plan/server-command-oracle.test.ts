// Oracle test: for many option sets, the server command lines relaysync
// builds are the ones the real rsync runs: a pull shows the source's line
// (rsync as client receiver), a push the destination's (client sender).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import type { RsyncOptions } from '../../../src/cli/rsync-options.js';
import { renderRemoteCommand } from '../../../src/plan/remote-quote.js';
import { buildServerCommand } from '../../../src/plan/server-command.js';
import type { Side } from '../../../src/transport/server-process.js';
import { openRsyncOracle } from './rsync-oracle.js';

const SEED = 1234567;
const oracle = openRsyncOracle();
after(() => oracle.close());

/** What rsync runs on HOST for this transfer, as one remote-shell line. */
function rsyncLine(options: readonly string[], side: Side, paths: readonly string[]): string {
  const args = ['--checksum-seed=' + SEED, ...options];
  const operands = side === 'source' ? [...paths.map((p) => `host:${p}`), 'local-dest'] : ['local-src', `host:${paths[0]}`];
  return oracle.remoteCommand([...args, ...operands]).join(' ');
}

function ourLine(options: RsyncOptions, side: Side, paths: readonly string[], program: string): string {
  return renderRemoteCommand(buildServerCommand({ options, side, paths, checksumSeed: SEED, program }));
}

function parsed(options: readonly string[]) {
  return parseCommandLine([...options, 'a:src', 'b:dst']);
}

const OPTION_SETS: readonly (readonly string[])[] = [
  [],
  ['-a'],
  ['-av'],
  ['-avz'],
  ['-avH', '--delete'],
  ['-rlL'],
  ['-aL'],
  ['-a', '--no-p'],
  ['-a', '--no-D'],
  ['-a', '--no-specials'],
  ['-a', '--no-devices'],
  ['--devices'],
  ['--specials'],
  ['-rD', '--no-devices'],
  ['-r', '--devices', '--no-specials'],
  ['-a', '--no-o', '--no-g', '--no-t', '--no-l'],
  ['-ogt'],
  ['-vvv'],
  ['-vvvvvvvvvvvv'],
  ['-x'],
  ['-axx'],
  ['-aHH'],
  ['-ax', '--no-x'],
  ['-an'],
  ['-c'],
  ['-ac', '--no-c'],
  ['-W'],
  ['-W', '--no-W'],
  ['-u'],
  ['-z'],
  ['-z', '--no-z'],
  ['-a', '--numeric-ids'],
  ['--partial'],
  ['--inplace'],
  ['--partial', '--inplace'],
  ['-P'],
  ['-P', '--no-partial'],
  ['--progress'],
  ['--progress', '-v'],
  ['--stats'],
  ['--stats', '-v'],
  ['-avzP', '--delete', '--stats', '--numeric-ids', '--inplace', '-H'],
  ['--protocol=29', '-av'],
  ['--protocol=29'],
  ['--protocol=30', '-a'],
  ['--protocol=27', '-a', '--delete'],
  ['-r', '--no-i-r'],
  ['-a', '--no-r'],
  ['-a', '--no-inc-recursive', '--i-r'],
  ['-ah'],
  ['-a', '--exclude=*.o', '--include', 'keep.o'],
];

describe('server command lines match what rsync 3.5.0 runs', () => {
  for (const set of OPTION_SETS) {
    const label = set.join(' ') || '(no options)';
    it(`source (pull): ${label}`, () => {
      const expected = rsyncLine(set, 'source', ['src/']);
      assert.equal(ourLine(parsed(set).options, 'source', ['src/'], 'rsync'), expected);
    });
    it(`dest (push): ${label}`, () => {
      const expected = rsyncLine(set, 'dest', ['dst/']);
      assert.equal(ourLine(parsed(set).options, 'dest', ['dst/'], 'rsync'), expected);
    });
  }

  it('quotes paths the same way, several sources included', () => {
    const paths = ['a b/', "it's", '~', '~/x', '-dash', 'logs/*.gz', 'semi;colon', '$HOME'];
    assert.equal(ourLine(parsed(['-a']).options, 'source', paths, 'rsync'), rsyncLine(['-a'], 'source', paths));
    for (const path of paths) {
      assert.equal(ourLine(parsed(['-a']).options, 'dest', [path], 'rsync'), rsyncLine(['-a'], 'dest', [path]));
    }
  });

  it('runs --rsync-path as given on both sides', () => {
    const options = ['-a', '--rsync-path=sudo /opt/rsync/bin/rsync'];
    const { options: parsedOptions, relay } = parsed(options);
    assert.equal(ourLine(parsedOptions, 'source', ['s'], relay.rsyncPath!), rsyncLine(options, 'source', ['s']));
    assert.equal(ourLine(parsedOptions, 'dest', ['d'], relay.rsyncPath!), rsyncLine(options, 'dest', ['d']));
  });
});

/** The `.xxx` after -e in a server command line. */
function capabilities(line: string): string {
  const match = / -[A-Za-z]*e\.([A-Za-z]*) /.exec(line);
  assert.ok(match, `no capability letters in: ${line}`);
  return match[1]!;
}

/**
 * Options relaysync refuses for now but whose effect on incremental recursion
 * it must already decide right: rsync as a receiving client drops `i`, as a
 * sending client it keeps it. relaysync follows the receiver for both
 * servers (the deliberate difference), since the server receiver drops `i`
 * for itself and both servers must agree.
 */
const RECEIVER_ONLY: readonly { rsync: readonly string[]; field: keyof RsyncOptions }[] = [
  { rsync: ['-a', '--delete-before'], field: 'deleteBefore' },
  { rsync: ['-a', '--delete-after'], field: 'deleteAfter' },
  { rsync: ['-a', '--delay-updates'], field: 'delayUpdates' },
  { rsync: ['-a', '--prune-empty-dirs'], field: 'pruneEmptyDirs' },
];

describe('incremental recursion follows the receiving client for both servers', () => {
  for (const { rsync, field } of RECEIVER_ONLY) {
    it(rsync.join(' '), () => {
      const options = { ...parsed(['-a']).options, [field]: true };
      const pull = capabilities(rsyncLine(rsync, 'source', ['s']));
      const push = capabilities(rsyncLine(rsync, 'dest', ['d']));
      assert.equal(push, 'i' + pull, 'rsync as a sending client keeps i');
      assert.equal(capabilities(ourLine(options, 'source', ['s'], 'rsync')), pull);
      assert.equal(capabilities(ourLine(options, 'dest', ['d'], 'rsync')), pull);
    });
  }

  it('--qsort turns it off for senders and receivers alike', () => {
    const options = { ...parsed(['-a']).options, useQsort: true };
    for (const [side, path] of [['source', 's'], ['dest', 'd']] as const) {
      assert.equal(capabilities(ourLine(options, side, [path], 'rsync')), capabilities(rsyncLine(['-a', '--qsort'], side, [path])));
    }
  });
});
