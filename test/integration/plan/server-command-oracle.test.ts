// Oracle test: for many option sets, the server command lines relaysync
// builds are the ones the real rsync runs: a pull shows the source's line
// (rsync as client receiver), a push the destination's (client sender).
// The deliberate differences: relaysync offers incremental recursion (`i`)
// under the receiving client's rule to both servers, so where rsync as a
// sending client keeps `i`, the expected push line drops it; and the source,
// relaysync's sender, is told --chmod, --fake-super and --munge-links, which
// rsync's sending client applies itself.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import type { RsyncOptions } from '../../../src/cli/rsync-options.js';
import { allowIncRecurse } from '../../../src/plan/protocol-offer.js';
import { quoteOptionArg, renderRemoteCommand } from '../../../src/plan/remote-quote.js';
import { encodeSecludedArgs } from '../../../src/protocol/secluded-args.js';
import { buildServerCommand } from '../../../src/plan/server-command.js';
import type { Side } from '../../../src/transport/server-process.js';
import { openRsyncOracle } from './rsync-oracle.js';

const SEED = 1234567;
const oracle = openRsyncOracle();
after(() => oracle.close());
before(() => {
  // Files rsync itself opens while it reads its options.
  writeFileSync(join(oracle.dir, 'rules'), '- *.o\n+ keep/\n');
  writeFileSync(join(oracle.dir, 'list'), 'a\nb\n');
});

type Env = Readonly<Record<string, string>>;

/** rsync's operands for a pull from or a push to `host`. */
function operands(side: Side, paths: readonly string[]): string[] {
  return side === 'source' ? [...paths.map((p) => `host:${p}`), 'local-dest'] : ['local-src', `host:${paths[0]}`];
}

/** What rsync runs on HOST for this transfer, as one remote-shell line. */
function rsyncLine(options: readonly string[], side: Side, paths: readonly string[], env: Env = {}): string {
  return oracle.remoteCommand(['--checksum-seed=' + SEED, ...options, ...operands(side, paths)], env).join(' ');
}

function parsed(options: readonly string[], env: Env = {}) {
  return parseCommandLine([...options, 'a:src', 'b:dst'], env);
}

function command(options: RsyncOptions, side: Side, paths: readonly string[], program = 'rsync') {
  // In rsync's transfer the one remote host holds a --files-from=HOST:FILE list.
  const filesFromOn = options.filesfromHost === undefined ? undefined : side;
  return buildServerCommand({ options, side, paths, checksumSeed: SEED, program, filesFromOn });
}

function ourLine(options: RsyncOptions, side: Side, paths: readonly string[], program = 'rsync'): string {
  return renderRemoteCommand(command(options, side, paths, program));
}

/** rsync's push line as relaysync means it: without `i` where a receiving client drops it. */
function underReceiverRule(line: string, options: RsyncOptions): string {
  return allowIncRecurse(options) ? line : line.replace(/( -[A-Za-z]*e\.)i/, '$1');
}

/** rsync's pull line as relaysync means it: with what rsync's sending client would apply itself. */
function withSendersOwn(line: string, options: RsyncOptions): string {
  const own = [
    ...options.chmod.map((mode) => `--chmod=${quoteOptionArg(mode)}`),
    ...(options.amRoot < 0 ? ['--fake-super'] : []),
    ...(options.mungeSymlinks ? ['--munge-links'] : []),
  ];
  if (own.length === 0) return line;
  const at = line.lastIndexOf(' . ');
  return `${line.slice(0, at)} ${own.join(' ')}${line.slice(at)}`;
}

function compareBothSides(set: readonly string[], env: Env = {}): void {
  const label = set.join(' ') || '(no options)';
  it(`source (pull): ${label}`, () => {
    const options = parsed(set, env).options;
    assert.equal(ourLine(options, 'source', ['src/']), withSendersOwn(rsyncLine(set, 'source', ['src/'], env), options));
  });
  it(`dest (push): ${label}`, () => {
    const options = parsed(set, env).options;
    assert.equal(ourLine(options, 'dest', ['dst/']), underReceiverRule(rsyncLine(set, 'dest', ['dst/'], env), options));
  });
}

const AREAS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'core options': [
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
    ['-axxx'],
    ['-aHH'],
    ['-aHHH'],
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
  ],
  deletion: [
    ['-a', '--delete-before'],
    ['-a', '--delete-during'],
    ['-a', '--del'],
    ['-a', '--delete-delay'],
    ['-a', '--delete-after'],
    ['-a', '--delete-excluded'],
    ['-a', '--delete', '--delete-excluded'],
    ['-a', '--delete-after', '--delete-excluded'],
    ['-a', '--delete', '--ignore-errors'],
    ['-a', '--ignore-errors', '--no-ignore-errors'],
    ['-a', '--delete', '--force'],
    ['-a', '--delete', '--max-delete=5'],
    ['-a', '--max-delete=0'],
    ['-a', '--max-delete=-3'],
    ['-a', '--max-delete=0x10'],
    ['-a', '--max-delete=010'],
    ['-a', '--max-delete='],
    ['-a', '--max-delete=-2147483648'],
    ['-a', '--delete-missing-args'],
    ['-a', '--ignore-missing-args'],
    ['-a', '--ignore-missing-args', '--delete-missing-args'],
    ['-d', '--delete'],
    ['-d', '--delete-excluded'],
  ],
  filters: [
    ['-a', '-f', '- *.o'],
    ['-a', '-f', 'merge rules'],
    ['-a', '-F'],
    ['-a', '-FFF'],
    ['-a', '--exclude-from=rules'],
    ['-a', '--include-from=rules'],
    ['-a', '-C'],
    ['-a', '--files-from=list'],
    ['-a', '--files-from=list', '--from0'],
    ['-a', '--files-from=list', '--no-R'],
    ['-r', '--files-from=list'],
    ['--files-from=list'],
    ['-a', '--files-from=-'],
    ['-a', '--files-from=host:list'],
    ['-a', '--files-from=host:list', '--from0'],
    ['-a', '--files-from=host:list', '--no-relative'],
    ['-a', '--files-from=:list'],
  ],
  paths: [
    ['-d'],
    ['-rd'],
    ['-d', '--no-d'],
    ['--old-dirs'],
    ['-aR'],
    ['-aR', '--no-R'],
    ['-aR', '--no-implied-dirs'],
    ['-aR', '--no-i-d', '--protocol=29'],
    ['-a', '--no-implied-dirs'],
    ['-a', '--mkpath'],
    ['-ak'],
    ['-aK'],
    ['-a', '--copy-unsafe-links'],
    ['-a', '--safe-links'],
    ['-a', '--munge-links'],
    ['-am'],
    ['-am', '--no-m'],
  ],
  'basis files and backups': [
    ['-a', '--link-dest=../l'],
    ['-a', '--link-dest=a', '--link-dest=b'],
    ['-a', '--copy-dest=c'],
    ['-a', '--compare-dest=c d'],
    ['-ab'],
    ['-ab', '--delete'],
    ['-ab', '--delete', '--delete-excluded'],
    ['-ab', '--no-backup'],
    ['-a', '--backup-dir=bak'],
    ['-a', '--backup-dir=./bak/'],
    ['-a', '--backup-dir=.', '--suffix=.old'],
    ['-ab', '--suffix=.old'],
    ['-a', '--backup-dir=bak', '--suffix=.x'],
    ['-a', '--backup-dir=bak', '--suffix=~'],
    ['-a', '--backup-dir=~/bak dir'],
    ['-ab', '-O'],
    ['-a', '--backup-dir=bak', '-O'],
    ['-a', '--partial-dir=.part'],
    ['-a', '--partial-dir=a//b/../c/'],
    ['-a', '--partial-dir=.'],
    ['-a', '--partial-dir=.~tmp~'],
    ['-a', '--delay-updates'],
    ['-a', '--delay-updates', '--partial-dir=.p'],
    ['-a', '--delay-updates', '--no-delay-updates'],
    ['-a', '--append'],
    ['-a', '--append-verify'],
    ['-a', '--append', '--no-append'],
    ['-a', '-T', '/tmp/x y'],
    ['-ay'],
    ['-ayy'],
    ['-ayy', '--link-dest=a'],
    ['-ayyy', '--link-dest=a', '--link-dest=b'],
    ['-a', '--inplace', '-S'],
    ['-a', '--inplace', '-S', '--no-W'],
  ],
  metadata: [
    ['-aA'],
    ['-aA', '--no-A'],
    ['-aX'],
    ['-aXX'],
    ['-aXXX'],
    ['-E'],
    ['-aE'],
    ['-rE'],
    ['-a', '--chmod=u+x,Dg-w'],
    ['-a', '--chown=u:g'],
    ['-a', '--chown=:g'],
    ['-a', '--chown=u'],
    ['-a', '--usermap=a:b,1-5:c'],
    ['-a', '--groupmap=*:x'],
    ['-aO'],
    ['-aJ'],
    ['-aO', '--no-O'],
    ['-aU'],
    ['-aUU'],
    ['-aUU', '--no-U'],
    ['-a', '--open-noatime'],
    ['-a', '--fake-super'],
    ['-a', '--super'],
    ['-a', '--super', '--no-super'],
    ['-a', '-@', '3'],
    ['-a', '-@-1'],
    ['-a', '--modify-window=0'],
    ['-aS'],
    ['-a', '--preallocate'],
    ['-a', '--copy-devices'],
    ['-a', '--write-devices'],
  ],
  selection: [
    ['-a', '--size-only'],
    ['-aI'],
    ['-a', '--ignore-existing'],
    ['-a', '--existing'],
    ['-a', '--ignore-non-existing'],
    ['-a', '--max-size=1M'],
    ['-a', '--max-size=1.5K'],
    ['-a', '--min-size=10kb'],
    ['-a', '--max-size=1G-1'],
    ['-a', '--max-size=2KiB+1'],
    ['-a', '--max-size=8000P'],
    ['-a', '--min-size=K'],
    ['-a', '--remove-source-files'],
    ['-a', '--remove-sent-files'],
    ['-a', '--cc=xxh3'],
    ['-a', '--checksum-choice=md5,xxh3'],
    ['-a', '--cc=NONE'],
    ['-a', '--cc=auto'],
    ['-a', '--cc=none,md5'],
    ['-a', '--zc=zstd'],
    ['-az', '--zc=ZSTD'],
    ['-a', '--zc=zlib'],
    ['-a', '--zc=none'],
    ['-a', '--zc=none', '--zl=3'],
    ['-az', '--zc=auto'],
    ['-azz'],
    ['-azzz'],
    ['-azz', '--zc=auto'],
    ['-azzz', '--zc=auto', '--zl=2'],
    ['-a', '--new-compress'],
    ['-a', '--old-compress'],
    ['-az', '--compress-level=3'],
    ['-a', '--compress-level=3'],
    ['-az', '--no-z', '--zl=3'],
    ['-a', '--zc=zstd', '--no-z'],
    ['-a', '--skip-compress=gz/jpg'],
    ['-az', '--skip-compress=gz/[jJ]pg'],
    ['-a', '--iconv=utf8,latin1'],
    ['-a', '--iconv=utf8'],
    ['-a', '--iconv=-'],
    ['-a', '--iconv=utf8', '--no-iconv'],
  ],
  'transfer control': [
    ['-a', '--bwlimit=100'],
    ['-a', '--bwlimit=1.5M'],
    ['-a', '--bwlimit=1000KB'],
    ['-a', '--bwlimit=0'],
    ['-a', '--bwlimit=100', '--no-bwlimit'],
    ['-a', '--timeout=30'],
    ['-a', '--timeout=30', '--no-timeout'],
    ['-a', '-B', '1024'],
    ['-a', '--block-size=8K'],
    ['--protocol=29', '-B', '1M'],
    ['-a', '--no-whole-file'],
    ['-a', '--list-only'],
    ['--list-only'],
    ['-a', '--max-alloc=2G'],
    ['-a', '--max-alloc=1G'],
    ['-a', '--max-alloc=1024M'],
    ['-an'],
    ['-a', '--fsync'],
  ],
  output: [
    ['-ai'],
    ['-aii'],
    ['-ai', '--no-i'],
    ['-a', '--out-format=%n'],
    ['-a', '--out-format=%o %n'],
    ['-a', '--out-format=%i %n'],
    ['-a', '--out-format=%%i %n'],
    ['-aii', '--out-format=%i'],
    ['-av', '--out-format=%n'],
    ['-av', '--out-format=%-10i'],
    ['-a', '--log-format=%n'],
    ['-ai', '--progress'],
    ['-a', '--progress', '--out-format=%b'],
    ['-a', '--info=name2'],
    ['-a', '--info=all'],
    ['-a', '--info=ALL2,name0'],
    ['-a', '--info=none'],
    ['-a', '--info=progress2'],
    ['-a', '--info=stats2,remove,skip'],
    ['-a', '--info=misc,mount,name,remove,stats,symsafe'],
    ['-a', '--info=backup,copy,del,nonreg,skip'],
    ['-a', '--info=backup,copy,del,nonreg,skip,misc,mount,name,symsafe,stats,flist,progress,remove'],
    ['-a', '--info=name9'],
    ['-a', '--debug=all'],
    ['-aq'],
    ['-aqq'],
    ['-a', '--stats', '--progress'],
    ['-aP'],
    ['-a', '--log-file=log'],
    ['-a', '--log-file=log', '--log-file-format=%n'],
    ['-a', '--progress', '--info=name0'],
    ['-ahh'],
  ],
  'argument quoting': [['-as'], ['-a', '--old-args'], ['-a', '--old-args', '--old-args'], ['-a', '--old-args', '--no-old-args']],
};

describe('server command lines match what rsync 3.5.0 runs', () => {
  for (const [area, sets] of Object.entries(AREAS)) describe(area, () => sets.forEach((set) => compareBothSides(set)));

  describe('RSYNC_* environment variables', () => {
    const cases: readonly [readonly string[], Env][] = [
      [['-a'], { RSYNC_PROTECT_ARGS: '1' }],
      [['-a', '--no-s'], { RSYNC_PROTECT_ARGS: '1' }],
      [['-a'], { RSYNC_PROTECT_ARGS: '0' }],
      [['-a'], { RSYNC_OLD_ARGS: '1' }],
      [['-a'], { RSYNC_OLD_ARGS: '2' }],
      [['-as'], { RSYNC_OLD_ARGS: '1' }],
      [['-a'], { RSYNC_OLD_ARGS: '1', RSYNC_PROTECT_ARGS: '1' }],
      [['-a'], { RSYNC_MAX_ALLOC: '4G' }],
      [['-a', '--max-alloc=1G'], { RSYNC_MAX_ALLOC: '4G' }],
      [['-aP'], { RSYNC_PARTIAL_DIR: '.rsync-partial' }],
      [['-a', '--partial'], { RSYNC_PARTIAL_DIR: 'a/./b/' }],
      [['-a', '--partial', '--inplace'], { RSYNC_PARTIAL_DIR: '.p' }],
      [['-a'], { RSYNC_ICONV: 'utf8,latin1' }],
      [['-a', '--no-iconv'], { RSYNC_ICONV: 'utf8' }],
    ];
    for (const [set, env] of cases) describe(JSON.stringify(env), () => compareBothSides(set, env));
  });

  it('quotes paths the same way, several sources included', () => {
    const paths = ['a b/', "it's", '~', '~/x', '-dash', 'logs/*.gz', 'semi;colon', '$HOME'];
    assert.equal(ourLine(parsed(['-a']).options, 'source', paths), rsyncLine(['-a'], 'source', paths));
    for (const path of paths) {
      assert.equal(ourLine(parsed(['-a']).options, 'dest', [path]), rsyncLine(['-a'], 'dest', [path]));
    }
  });

  it('quotes paths the same way with --old-args, -R and --files-from on a host', () => {
    const paths = ['a b/', '~', '~/x', '~/./y', '-dash', 'logs/*.gz', '$HOME'];
    for (const set of [['-a', '--old-args'], ['-a', '--old-args', '--old-args'], ['-aR'], ['-a', '--files-from=host:list']]) {
      const options = parsed(set).options;
      // With --files-from, rsync takes one SRC.
      const sources = options.filesFrom === undefined ? [paths] : paths.map((p) => [p]);
      for (const some of sources) assert.equal(ourLine(options, 'source', some), rsyncLine(set, 'source', some), set.join(' '));
      for (const path of paths) assert.equal(ourLine(options, 'dest', [path]), underReceiverRule(rsyncLine(set, 'dest', [path]), options));
    }
  });

  it('sends the same secluded arguments with -s', () => {
    const sets = [['-as'], ['-avs', '--iconv=utf8,latin1', '--delete', '--backup-dir=a b'], ['-as', '--files-from=list', '-B4K']];
    const paths = ['a b', '-dash', '~', 'x;y'];
    for (const set of sets) {
      const options = parsed(set).options;
      for (const side of ['source', 'dest'] as const) {
        // With --files-from, rsync takes one SRC.
        const sidePaths = side === 'source' && options.filesFrom === undefined ? paths : paths.slice(0, 1);
        const rsync = oracle.remoteCall(['--checksum-seed=' + SEED, ...set, ...operands(side, sidePaths)]);
        const ours = command(options, side, sidePaths);
        const expected = side === 'dest' ? underReceiverRule(rsync.words.join(' '), options) : rsync.words.join(' ');
        assert.equal(renderRemoteCommand(ours), expected, `${side}: ${set.join(' ')}`);
        assert.deepEqual(encodeSecludedArgs(ours.secludedArgs!), rsync.input, `${side}: ${set.join(' ')}`);
      }
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
 * rsync as a receiving client drops `i` for these, as a sending client it
 * keeps it. relaysync follows the receiver for both servers (the deliberate
 * difference), since the server receiver drops `i` for itself and both
 * servers must agree.
 */
const RECEIVER_ONLY: readonly (readonly string[])[] = [
  ['-a', '--delete-before'],
  ['-a', '--delete-after'],
  ['-a', '--delay-updates'],
  ['-a', '--prune-empty-dirs'],
];

describe('incremental recursion follows the receiving client for both servers', () => {
  it('--delay-updates with a partial dir of "." delays nothing (rsync tells the receiver --partial alone), so i stays', () => {
    const set = ['-a', '--delay-updates', '--partial-dir=.'];
    const options = parsed(set).options;
    assert.equal(ourLine(options, 'dest', ['d']), rsyncLine(set, 'dest', ['d']));
    assert.equal(capabilities(ourLine(options, 'source', ['s'])), capabilities(rsyncLine(set, 'dest', ['d'])));
  });

  for (const set of RECEIVER_ONLY) {
    it(set.join(' '), () => {
      const options = parsed(set).options;
      const pull = capabilities(rsyncLine(set, 'source', ['s']));
      const push = capabilities(rsyncLine(set, 'dest', ['d']));
      assert.equal(push, 'i' + pull, 'rsync as a sending client keeps i');
      assert.equal(capabilities(ourLine(options, 'source', ['s'])), pull);
      assert.equal(capabilities(ourLine(options, 'dest', ['d'])), pull);
    });
  }
});
