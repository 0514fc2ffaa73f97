// Differential tests of the filter options: each case runs relaysync (two
// local rsync servers, the broker between them) and plain rsync twice, as a
// push (a client sender, as relaysync is toward the destination) and as a
// pull (a client receiver, as relaysync is toward the source), from the same
// source tree into the same starting destination, and requires:
//   - relaysync's destination tree and exit code to be the push's;
//   - the rules the destination server received to be the ones it received
//     from rsync's push, and the rules the source server received to be the
//     ones it received from rsync's pull (each server prints them with
//     --debug=FILTER2, so the servers themselves say what they were sent).
// Each case runs at every protocol from 27 (or the first rsync supports it
// at) to 32, the version pair rotating so that every case meets rsync 3.2.7
// on the source side and on the destination side.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { localRsh, transcript } from '../harness/oracle.js';
import { copyTree, scratchDir } from '../harness/relay-fixtures.js';
import { runRelaysync, runRsync, type RunResult } from '../harness/run.js';
import { compareSnapshots, snapshot, type Snapshot } from '../harness/snapshot.js';
import { buildTree, dir, file, type TreeEntry } from '../harness/tree.js';
import { rsyncBinary, skipUnlessRsync, type RsyncVersion } from '../lab/rsync-binaries.js';

/** The source: rule files of every kind in the tree, and names the rules below pick out. */
const sourceTree: TreeEntry[] = [
  file('top.txt', { content: 'top' }),
  file('top-only.txt', { content: 'excluded by the root .rsync-filter' }),
  file('.rsync-filter', { content: '- /top-only.txt\n' }),
  file('a.o', { content: 'object' }),
  file('b.c', { content: 'source' }),
  file('keep.c', { content: 'new version' }),
  file('notes.tmp', { content: 'temporary' }),
  file('backup~', { content: 'a backup in the source' }),
  file('name with space.c', { content: 'spaces' }),
  file('new\nline.o', { content: 'newline in the name' }),
  file('keep/x.tmp', { content: 'kept tmp' }),
  file('keep/y.o', { content: 'kept object' }),
  file('keep/inner/z.txt', { content: 'z' }),
  file('sub/.rsync-filter', { content: '+ important.log\n- *.log\n' }),
  file('sub/a.log', { content: 'log' }),
  file('sub/important.log', { content: 'important log' }),
  file('sub/other.txt', { content: 'other' }),
  file('sub/deep/.rsync-filter', { content: '- secret*\n' }),
  file('sub/deep/secret.txt', { content: 'secret' }),
  file('sub/deep/public.txt', { content: 'public' }),
  file('lib/.rules', { content: '# per-directory rules\n- *.dat\n' }),
  file('lib/.excl', { content: 'b.txt\n' }),
  file('lib/a.dat', { content: 'data' }),
  file('lib/b.txt', { content: 'b' }),
  file('lib/c.txt', { content: 'c' }),
  file('lib/sub/.rules', { content: '+ keep.dat\n' }),
  file('lib/sub/keep.dat', { content: 'kept data' }),
  file('lib/sub/drop.dat', { content: 'dropped data' }),
  file('cvsdir/.cvsignore', { content: '*.gen ignored-by-cvs\n' }),
  file('cvsdir/x.gen', { content: 'generated' }),
  file('cvsdir/ignored-by-cvs', { content: 'ignored' }),
  file('cvsdir/ok.txt', { content: 'ok' }),
  file('cvsdir/home-ignored.x', { content: 'ignored by ~/.cvsignore' }),
  file('cvsdir/env-ignored.y', { content: 'ignored by $CVSIGNORE' }),
  file('CVS/Entries', { content: 'cvs' }),
  file('core', { content: 'core dump' }),
  file('foo.bak', { content: 'bak' }),
  dir('empty'),
  file('only-excluded/only.o', { content: 'only an object' }),
  dir('nested-empty/a/b'),
];

/** The destination before a run: the source of an earlier day (keep.c older), and entries only it has. */
const destinationTree: TreeEntry[] = [
  ...sourceTree.filter((e) => e.path !== 'keep.c'),
  file('keep.c', { content: 'old version', mtime: 1_600_000_000 }),
  file('extra.txt', { content: 'only here' }),
  file('extra.o', { content: 'an excluded extra' }),
  file('extra.keep', { content: 'protected' }),
  file('important.keep', { content: 'at risk' }),
  file('extra~', { content: 'an old backup' }),
  file('sub/extra.log', { content: 'a log only here' }),
  file('gone-dir/x.tmp', { content: 'tmp in a directory the source lacks' }),
  file('gone-dir/y.txt', { content: 'y' }),
  file('.part/partial.bin', { content: 'a partial file' }),
  file('gone-dir2/.part/p', { content: 'a partial file in a directory the source lacks' }),
  file('.~tmp~/junk', { content: 'delay-updates leftovers' }),
  file('lib/extra.dat', { content: 'data only here' }),
  file('dest-rules/.rules', { content: 'P *\n' }),
  file('dest-rules/kept', { content: 'protected by its own .rules' }),
  file('cvsdir/extra.gen', { content: 'generated only here' }),
  file('CVS/extra', { content: 'cvs only here' }),
];

const exec = promisify(execFile);

/** Extended attributes on the source for the x modifier: the rule leaves out user.skip*. */
const sourceXattrs: readonly (readonly [string, string, string])[] = [
  ['b.c', 'user.keep', 'kept'],
  ['b.c', 'user.skip.me', 'left out'],
  ['sub/other.txt', 'user.skipped', 'left out'],
];

/** The user.* extended attributes of a tree, as getfattr lists them. */
async function userXattrs(root: string): Promise<string> {
  return (await exec('getfattr', ['-R', '-d', '-m', '^user\\.', '.'], { cwd: root })).stdout;
}

/** Rule files in the directory the runs start in. */
const ruleFiles: Readonly<Record<string, string | Buffer>> = {
  'rules/main': '# a comment\n; another\n\n- *.o\nmerge rules/nested\n+ keep/***\r\n- *.tmp\r\n',
  'rules/nested': '- b.c\n',
  'rules/plain': 'top.txt\nfoo.bak\n',
  'rules/exclude': '# comment\n*.o\r\nsub/deep/\n\n- *.tmp\n+ keep.c\n',
  'rules/include': 'keep/***\n',
  'rules/exclude0': Buffer.from('name with space.c\0new\nline.o\0# not a comment\0;x\0'),
  'home/.cvsignore': 'home-ignored.x\n',
};

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The first protocol rsync takes the options at; 27 when absent. */
  readonly minProtocol?: number;
  /** The destination starts absent, or as destinationTree. */
  readonly start: 'none' | 'old';
  readonly stdin?: string;
  readonly cvsEnv?: boolean;
  /** Where and why rsync's pull ends with another tree than its push (relaysync's destination is a push's). */
  readonly pullDiffers?: { readonly below: number; readonly why: string };
  /** Compare the user.* extended attributes of the trees too. */
  readonly xattrs?: boolean;
  /** Directory mtimes are set before the run's last changes in them, so they are each run's own. */
  readonly dirTimesVary?: boolean;
  /** Paths rsync's result must (not) have, so that agreeing with it means something. */
  readonly absent: readonly string[];
  readonly present: readonly string[];
}

const cases: Case[] = [
  {
    name: '-f exclude, include and clear',
    args: ['--delete', '-f', '- *.o', '-f', '+ keep/***', '-f', 'clear', '-f', 'exclude *.tmp', '-f', 'include keep.c', '-f', 'exclude k*'],
    start: 'old',
    // Excluded entries are kept at the destination, so gone-dir keeps its .tmp; the cleared "- *.o" protects nothing.
    absent: ['extra.txt', 'extra.o', 'gone-dir/y.txt'],
    present: ['gone-dir/x.tmp', 'keep/x.tmp', 'a.o', 'keep.c'],
  },
  {
    name: '-f hide and show',
    args: ['--delete', '-f', 'show keep.c', '-f', 'H *.c'],
    minProtocol: 29,
    start: 'old',
    absent: ['b.c', 'name with space.c'],
    present: ['keep.c'],
  },
  {
    name: '-f protect and risk',
    args: ['--delete', '-f', 'R important.keep', '-f', 'P *.keep'],
    start: 'old',
    absent: ['important.keep', 'extra.txt'],
    present: ['extra.keep'],
  },
  {
    name: '-f with the s and r modifiers',
    args: ['--delete', '-f', '-s *.o', '-f', '-r *.txt'],
    minProtocol: 29,
    start: 'old',
    absent: ['a.o', 'extra.o'],
    present: ['extra.txt', 'top.txt'],
  },
  {
    name: '-f with the ! and / modifiers',
    args: ['--delete', '-f', '-/ /**/sub/deep', '-f', '+ */', '-f', '-! *.c'],
    minProtocol: 29,
    start: 'none',
    absent: ['sub/deep', 'top.txt', 'a.o'],
    present: ['b.c', 'sub', 'keep'],
  },
  {
    name: '-f with the x modifier',
    args: ['-X', '-f', '-x user.skip*'],
    minProtocol: 30,
    start: 'none',
    xattrs: true,
    absent: [],
    present: ['b.c'],
  },
  {
    name: '-f with the p modifier',
    args: ['--delete', '-f', '-p *.tmp'],
    minProtocol: 30,
    start: 'old',
    // Perishable: it protects notes.tmp, but not x.tmp in a directory being deleted.
    absent: ['gone-dir'],
    present: ['notes.tmp'],
  },
  {
    name: 'merge files, nested, read where relaysync runs',
    args: ['--delete', '-f', 'merge rules/main', '-f', '.- rules/plain'],
    start: 'none',
    absent: ['a.o', 'b.c', 'notes.tmp', 'top.txt', 'foo.bak', 'keep/y.o'],
    present: ['keep/x.tmp', 'keep/inner/z.txt'],
  },
  {
    name: 'dir-merge files read by the servers',
    args: ['--delete', '-f', ': .rules', '-f', 'dir-merge,- .excl'],
    minProtocol: 29,
    start: 'none',
    absent: ['lib/a.dat', 'lib/b.txt', 'lib/sub/drop.dat'],
    present: ['lib/sub/keep.dat', 'lib/c.txt', 'lib/.rules'],
  },
  {
    name: 'dir-merge files protecting what is only at the destination',
    args: ['--delete', '-f', ': .rules'],
    minProtocol: 29,
    start: 'old',
    absent: ['extra.txt'],
    present: ['lib/extra.dat'],
  },
  {
    name: 'dir-merge with e and n',
    args: ['--delete', '-f', ':en .rules'],
    minProtocol: 29,
    start: 'none',
    absent: ['lib/.rules', 'lib/sub/.rules', 'lib/a.dat'],
    present: ['lib/sub/drop.dat', 'lib/sub/keep.dat'],
  },
  {
    name: '-F',
    args: ['--delete', '-F'],
    minProtocol: 29,
    start: 'old',
    absent: ['extra.txt'],
    present: ['sub/extra.log', 'top-only.txt', '.rsync-filter'],
  },
  {
    name: '-FF',
    args: ['--delete', '-FF'],
    minProtocol: 29,
    start: 'none',
    absent: ['top-only.txt', '.rsync-filter', 'sub/.rsync-filter', 'sub/a.log', 'sub/deep/secret.txt'],
    present: ['sub/important.log', 'sub/deep/public.txt'],
  },
  {
    name: '--exclude-from and --include-from, with comments and CRLF',
    args: ['--delete', '--include-from=rules/include', '--exclude-from', 'rules/exclude'],
    start: 'none',
    absent: ['a.o', 'sub/deep', 'notes.tmp'],
    present: ['keep/y.o', 'keep/x.tmp', 'keep.c', 'b.c'],
  },
  {
    name: '--exclude-from with --from0',
    args: ['--from0', '--exclude-from=rules/exclude0'],
    start: 'none',
    absent: ['name with space.c', 'new\nline.o'],
    present: ['a.o'],
  },
  {
    name: '--exclude-from standard input',
    args: ['--exclude-from=-'],
    stdin: '*.o\n*.tmp\n',
    start: 'none',
    absent: ['a.o', 'keep/x.tmp'],
    present: ['b.c'],
  },
  {
    name: '-C with .cvsignore files, ~/.cvsignore and $CVSIGNORE',
    args: ['--delete', '-C'],
    cvsEnv: true,
    start: 'none',
    absent: ['a.o', 'core', 'CVS', 'foo.bak', 'backup~', 'cvsdir/x.gen', 'cvsdir/ignored-by-cvs', 'cvsdir/home-ignored.x', 'cvsdir/env-ignored.y'],
    present: ['cvsdir/ok.txt', 'cvsdir/.cvsignore'],
  },
  {
    name: '-C protecting what is only at the destination',
    args: ['--delete', '-C'],
    cvsEnv: true,
    start: 'old',
    absent: ['extra.txt', 'gone-dir'],
    present: ['cvsdir/extra.gen', 'CVS/extra', 'extra.o', 'extra~'],
  },
  {
    name: '-f :C and -f -C',
    args: ['--delete', '-f', ':C', '-f', '-C'],
    cvsEnv: true,
    minProtocol: 29,
    start: 'old',
    absent: ['extra.txt'],
    present: ['cvsdir/extra.gen', 'extra.o'],
  },
  {
    name: '--delete-excluded',
    args: ['--delete-excluded', '--exclude=*.o', '--exclude', '*.tmp'],
    start: 'old',
    absent: ['a.o', 'extra.o', 'keep/x.tmp', 'gone-dir', 'notes.tmp'],
    present: ['b.c'],
  },
  {
    name: '--delete-excluded with -F, -C and a protect rule',
    args: ['--delete-excluded', '-F', '-C', '-f', 'P *.keep'],
    cvsEnv: true,
    pullDiffers: { below: 33, why: "a client receiver adds -C's rules after sending its list, and applies them to its own deletions too" },
    minProtocol: 29,
    start: 'old',
    absent: ['sub/extra.log', 'cvsdir/extra.gen', 'extra.o', 'top-only.txt'],
    present: ['extra.keep', 'important.keep'],
  },
  {
    name: '-m',
    args: ['-m', '-f', '+ */', '-f', '+ *.c', '-f', '- *'],
    minProtocol: 29,
    start: 'none',
    absent: ['empty', 'only-excluded', 'nested-empty', 'sub', 'top.txt'],
    present: ['b.c'],
  },
  {
    name: '-m with --delete',
    args: ['-m', '--delete', '--exclude=*.o'],
    minProtocol: 29,
    start: 'old',
    absent: ['extra.txt'],
    present: ['extra.o', 'only-excluded/only.o'],
  },
  {
    name: '--partial-dir with --delete',
    args: ['--delete', '--partial-dir=.part'],
    start: 'old',
    pullDiffers: { below: 30, why: 'a client receiver keeps the rule perishable for itself, where a client sender cannot send "perishable"' },
    // From protocol 30 the rule is perishable at the receiver too, and gone-dir2 goes with its .part.
    absent: ['extra.txt'],
    present: ['.part/partial.bin'],
  },
  {
    name: '--delay-updates with --delete',
    args: ['--delete', '--delay-updates'],
    start: 'old',
    absent: ['extra.txt'],
    present: ['.~tmp~/junk'],
  },
  {
    name: '-b with --delete',
    args: ['-b', '--delete'],
    start: 'old',
    dirTimesVary: true,
    absent: ['extra.txt'],
    present: ['extra~', 'keep.c~', 'extra.txt~'],
  },
  {
    name: '--old-dirs',
    args: ['--old-dirs'],
    start: 'none',
    absent: ['keep/x.tmp'],
    present: ['keep', 'top.txt'],
  },
];

/** Runs rsync refuses, and the exit code it refuses them with; relaysync must end the same way. */
const refusals: readonly { name: string; args: readonly string[]; protocol: number }[] = [
  { name: '-F below protocol 29', args: ['-F'], protocol: 28 },
  { name: 'an anchored-absolute rule below protocol 29', args: ['-f', '-/ x'], protocol: 27 },
  { name: 'a perishable rule toward a protocol 29 receiver', args: ['-f', '-p x'], protocol: 29 },
  { name: '-m below protocol 29', args: ['-m'], protocol: 28 },
  { name: 'a missing --exclude-from file', args: ['--exclude-from=no-such-file'], protocol: 32 },
  { name: 'a bad rule in a merge file', args: ['-f', 'merge rules/plain', '-f', 'merge rules/bad'], protocol: 31 },
  { name: 'a protect rule with --delete-excluded below 29', args: ['--delete-excluded', '-f', 'P x'], protocol: 28 },
];

const versionPairs: readonly (readonly [RsyncVersion, RsyncVersion])[] = [
  ['3.5.0', '3.5.0'],
  ['3.2.7', '3.5.0'],
  ['3.5.0', '3.2.7'],
  ['3.2.7', '3.2.7'],
];
const skip327 = skipUnlessRsync('3.2.7');

let work = '';
let source = '';
let oldDest = '';
let sourceEntries: Snapshot = new Map();

before(async () => {
  work = await scratchDir(undefined, 'filters');
  source = path.join(work, 'source');
  oldDest = path.join(work, 'old-dest');
  await buildTree(source, sourceTree);
  for (const [name, attr, value] of sourceXattrs) await exec('setfattr', ['-n', attr, '-v', value, path.join(source, name)]);
  sourceEntries = await snapshot(source);
  await buildTree(oldDest, destinationTree);
  for (const [name, content] of Object.entries({ ...ruleFiles, 'rules/bad': '- fine\nbogus rule\n' })) {
    await mkdir(path.join(work, path.dirname(name)), { recursive: true });
    await writeFile(path.join(work, name), content);
  }
});

/** The servers print the rules they read. */
const server = (version: RsyncVersion) => `${rsyncBinary(version)} --debug=FILTER2`;

interface Runs {
  readonly relay: RunResult;
  readonly push: RunResult;
  readonly pull: RunResult;
  readonly dests: { relay: string; push: string; pull: string };
}

async function runAll(name: string, args: readonly string[], protocol: number, [from, to]: readonly [RsyncVersion, RsyncVersion], c?: Case): Promise<Runs> {
  const dests = { relay: `${name}-relaysync`, push: `${name}-push`, pull: `${name}-pull` };
  for (const dest of Object.values(dests)) if (c?.start === 'old') await copyTree(oldDest, path.join(work, dest));
  const env = c?.cvsEnv ? { ...process.env, HOME: path.join(work, 'home'), CVSIGNORE: 'env-ignored.y' } : process.env;
  const options = { cwd: work, env, input: c?.stdin };
  const common = ['-a', `--protocol=${protocol}`, ...args];
  const relay = await runRelaysync(
    [...common, `--source-rsync-path=${server(from)}`, `--dest-rsync-path=${server(to)}`, `${source}/`, `${dests.relay}/`],
    options,
  );
  // The push's client is the source's rsync, the pull's the destination's, as the matrix pairs them.
  const push = await runRsync([...common, '-e', localRsh, `--rsync-path=${server(to)}`, `${source}/`, `oracle-host:${path.join(work, dests.push)}/`], {
    ...options,
    rsync: rsyncBinary(from),
  });
  const pull = await runRsync([...common, '-e', localRsh, `--rsync-path=${server(from)}`, `oracle-host:${source}/`, `${dests.pull}/`], {
    ...options,
    rsync: rsyncBinary(to),
  });
  return { relay, push, pull, dests };
}

/**
 * A destination as far as a run decides it: a directory only the
 * destination has gets its mtime from when deleting in it finished.
 */
async function destination(where: string): Promise<Snapshot> {
  const entries = new Map(await snapshot(where));
  for (const [key, entry] of entries) {
    if (entry.type === 'dir' && !sourceEntries.has(key)) entries.set(key, { ...entry, mtimeNs: 0n });
  }
  return entries;
}

/** The rules a server says it read (add_rule and the files it read for them), before it walks any directory. */
function rulesRead(run: RunResult, role: 'sender' | 'Receiver'): string[] {
  const lines: string[] = [];
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    if (!line.startsWith(`[${role}] `)) continue;
    if (line.includes('pushing local filters')) break;
    lines.push(line);
  }
  return lines;
}

function both(runs: Runs): string {
  return `relaysync:\n${transcript(runs.relay)}\nrsync push:\n${transcript(runs.push)}\nrsync pull:\n${transcript(runs.pull)}`;
}

async function checkCase(c: Case, protocol: number, pair: readonly [RsyncVersion, RsyncVersion], t: TestContext): Promise<void> {
  const runs = await runAll(`${cases.indexOf(c)}-${protocol}`, c.args, protocol, pair, c);
  const problems: string[] = [];
  const at = (dest: string) => path.join(work, dest);
  // The oracle really did the filtering this case is about, or agreeing with it proves nothing.
  assert.equal(runs.push.code, 0, `rsync's push failed (test setup problem)\n${both(runs)}`);
  assert.equal(runs.pull.code, 0, `rsync's pull failed (test setup problem)\n${both(runs)}`);
  const pushed = await destination(at(runs.dests.push));
  for (const name of c.absent) assert.ok(!pushed.has(name), `rsync's push left ${JSON.stringify(name)} (test setup problem)`);
  for (const name of c.present) assert.ok(pushed.has(name), `rsync's push has no ${JSON.stringify(name)} (test setup problem)`);
  const pushedXattrs = c.xattrs ? await userXattrs(at(runs.dests.push)) : '';
  if (c.xattrs) assert.match(pushedXattrs, /user\.keep="kept"/, `rsync's push did not copy user.keep (test setup problem)`);
  if (c.xattrs) assert.doesNotMatch(pushedXattrs, /user\.skip/, `rsync's push copied user.skip* (test setup problem)`);
  const compared = { ignore: c.dirTimesVary ? (['dirMtime'] as const) : [] };
  // rsync's pull reaches the same tree, so both runs are oracles of one transfer.
  if (protocol >= (c.pullDiffers?.below ?? 0)) {
    const pullDiffers = compareSnapshots(pushed, await destination(at(runs.dests.pull)), compared);
    assert.deepEqual(pullDiffers, [], `rsync's push and pull differ (test setup problem)\n${both(runs)}`);
  }

  if (runs.relay.code !== runs.push.code) problems.push(`exit code ${runs.relay.code}, rsync's ${runs.push.code}`);
  const treeDiffers = compareSnapshots(pushed, await destination(at(runs.dests.relay)), compared);
  if (treeDiffers.length > 0) problems.push(`the destination differs from rsync's (expected: rsync's):\n    ${treeDiffers.join('\n    ')}`);
  if (c.xattrs) {
    const mine = await userXattrs(at(runs.dests.relay));
    if (mine !== pushedXattrs) problems.push(`extended attributes differ from rsync's:\n${mine}\n  rsync's:\n${pushedXattrs}`);
  }
  for (const [role, oracle, what] of [
    ['Receiver', runs.push, 'the destination'],
    ['sender', runs.pull, 'the source'],
  ] as const) {
    const [mine, theirs] = [rulesRead(runs.relay, role), rulesRead(oracle, role)];
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      problems.push(`${what} read other rules than from rsync:\n    ${mine.join('\n    ')}\n  rsync's:\n    ${theirs.join('\n    ')}`);
    }
  }
  t.diagnostic(`${pair[0]} → ${pair[1]}`);
  assert.ok(problems.length === 0, `${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n\n${both(runs)}`);
}

cases.forEach((c, i) => {
  test(c.name, async (t) => {
    for (let protocol = c.minProtocol ?? 27; protocol <= 32; protocol++) {
      const pair = versionPairs[(i + protocol) % versionPairs.length]!;
      const needs327 = pair.includes('3.2.7');
      await t.test(`protocol ${protocol}, rsync ${pair[0]} → ${pair[1]}`, { skip: needs327 ? skip327 : false }, (st) => checkCase(c, protocol, pair, st));
    }
  });
});

for (const [i, r] of refusals.entries()) {
  const pair = versionPairs[i % versionPairs.length]!;
  test(`refused as rsync refuses it: ${r.name}`, { skip: pair.includes('3.2.7') ? skip327 : false }, async () => {
    const runs = await runAll(`refused-${i}`, ['--delete', ...r.args], r.protocol, pair);
    assert.notEqual(runs.push.code, 0, `rsync's push did not refuse it (test setup problem)\n${both(runs)}`);
    assert.equal(runs.relay.code, runs.push.code, both(runs));
  });
}
