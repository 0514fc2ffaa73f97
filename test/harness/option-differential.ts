// The per-option differential test: one option case runs with plain rsync
// (the oracle) and with relaysync, at every protocol from 27 to 32 and with
// 3.5.0 and 3.2.7 taking turns at each end, and everything a user could
// check must agree: the exit code, the whole working directory afterwards
// (destination, source, backup and basis directories), and what was printed
// on stdout and stderr.
//
// Both runs happen in the same place: the oracle runs in a fresh working
// directory, which is then moved aside, and relaysync runs in a fresh copy
// at the same path. So paths in messages, relative option values
// (--backup-dir=../b, --files-from=list) and the trees compare directly.
import { execFile } from 'node:child_process';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { runLocalRelay, runOracle, transcript, type TransferRequest } from './oracle.js';
import { addDestinationExtras, buildStandardTree, changeStandardTree, copyTree, scratchDir } from './relay-fixtures.js';
import type { RunResult } from './run.js';
import { compareSnapshots, snapshot, type Attribute, type Snapshot } from './snapshot.js';
import { xattrLines } from './xattrs.js';
import { skipUnlessRsync, type RsyncVersion } from '../lab/rsync-binaries.js';

const exec = promisify(execFile);

export interface OptionCase {
  /** The options under test, as a user types them after `rsync`; -a is not implied. */
  readonly options: readonly string[];
  /** What the case shows, when the options alone do not say it. */
  readonly about?: string;
  /** The source tree: the standard tree (v1) or its changed version (v2, the default). */
  readonly version?: 'v1' | 'v2';
  /** The destination before the run: none, a copy of v1 (baseline), or that plus extras (the default). */
  readonly start?: 'none' | 'baseline' | 'baseline+extras';
  /** Sources relative to the working directory; default `src/`. */
  readonly sources?: readonly string[];
  /** The destination relative to the working directory; default `dest/`. */
  readonly dest?: string;
  /** Prepares the working directory (`src/`, `dest/` already there) before each run. */
  readonly setup?: (work: string) => Promise<void>;
  /** What rsync itself does not reproduce between two runs (e.g. mtimes of directories it creates now). */
  readonly ignore?: readonly Attribute[];
  /** Compare extended attributes and ACLs too (-X, -A, --fake-super). */
  readonly xattrs?: boolean;
  /** Compare access times too (-U). */
  readonly atimes?: boolean;
  /** Where relaysync's messages cannot be rsync's, why, and what relaysync says instead. */
  readonly stderrDiffers?: { readonly because: string; readonly relaysyncSays: RegExp };
  /** The protocols to run at; default 27 to 32, where rsync's own answer (maybe an error) is the expectation. */
  readonly protocols?: readonly number[];
}

const allProtocols = [27, 28, 29, 30, 31, 32];
const versionPairs: readonly (readonly [RsyncVersion, RsyncVersion])[] = [
  ['3.5.0', '3.5.0'],
  ['3.2.7', '3.5.0'],
  ['3.5.0', '3.2.7'],
  ['3.2.7', '3.2.7'],
];

/** The --stats lines and summary figures that measure time or count the client's own bytes, which differ between any two runs. */
const varyingStdout = [
  /^File list (generation|transfer) time: /,
  /^File list size: /,
  /^Total bytes (sent|received): /,
  /^sent [\d,.]+[KMGTP]? bytes {2}received /,
  /^total size is [\d,.]+[KMGTP]? {2}speedup is /,
];

/**
 * stdout as a user compares it: every line, the timing ones set aside. Items
 * and deletions can interleave differently from run to run (in rsync too),
 * so lines compare as a multiset, deletions in their order among themselves.
 */
function stdoutLines(stdout: string): { lines: string[]; deletions: string[]; summary: string[] } {
  const all = stdout.split('\n').filter((line) => line !== '');
  const summary = all.filter((line) => /^total size is /.test(line)).map((line) => line.replace(/ {2}speedup is .*/, ''));
  const kept = all.filter((line) => !varyingStdout.some((pattern) => pattern.test(line)));
  return {
    lines: kept.filter((line) => !line.startsWith('deleting ')).sort(),
    deletions: kept.filter((line) => line.startsWith('deleting ')),
    summary,
  };
}

/**
 * What rsync processes say about each other when one of them fails: which
 * one notices the closed connection first, and whether a receiver killed by
 * its own generator gets its last words out, depends on timing and on the
 * pipes between them, not on the options.
 */
const plumbing = [/connection unexpectedly closed/, /received SIGUSR1 \(code 19\)/];

/**
 * stderr as a user compares it, as a set of lines: relaysync tags each
 * server's message with its host (`[local (destination)] `) and starts its
 * own with `relaysync: ` where rsync's start `rsync: `; both end with an `error: TEXT (code N)` line, rsync's
 * naming its source location and role, and a server's own final line may
 * say the same again. Lines about the plumbing are left out.
 */
function stderrLines(stderr: string): string[] {
  const lines = stderr
    .split('\n')
    .filter((line) => line !== '' && !plumbing.some((pattern) => pattern.test(line)))
    .map((line) =>
      line
        .replace(/^\[local \((source|destination)\)\] /, '')
        .replace(/^(relay|r)sync: /, '')
        .replace(/^(?:relay|r)sync (error|warning): (.*?)(?: at [\w.]+\(\d+\) \[\w+=[\d.]+\])?$/, '$1: $2'),
    );
  return [...new Set(lines)].sort();
}

interface Cell {
  readonly protocol: number;
  readonly source: RsyncVersion;
  readonly dest: RsyncVersion;
}

/** Every way the two runs differ: empty when relaysync did what rsync did. */
/** One run: what it printed, and when it started (entries both runs gave the time of then compare as equal). */
interface Run {
  readonly result: RunResult;
  readonly startedNs: bigint;
}

/** Both snapshots, with the times that both runs set to "now" made equal. */
async function snapshotsAfter(rsyncWork: string, relayWork: string, oracle: Run, relay: Run): Promise<[Snapshot, Snapshot]> {
  const theirs = new Map(await snapshot(rsyncWork));
  const mine = new Map(await snapshot(relayWork));
  for (const [key, entry] of theirs) {
    const other = mine.get(key);
    const now = (time: 'mtimeNs' | 'atimeNs') => key === '' || (other !== undefined && entry[time] >= oracle.startedNs && other[time] >= relay.startedNs);
    const adjusted = { ...(now('mtimeNs') && { mtimeNs: 0n }), ...(now('atimeNs') && { atimeNs: 0n }) };
    theirs.set(key, { ...entry, ...adjusted });
    if (other) mine.set(key, { ...other, ...adjusted });
  }
  return [theirs, mine];
}

async function compareRuns(c: OptionCase, rsyncWork: string, relayWork: string, oracle: Run, relay: Run): Promise<string[]> {
  const problems: string[] = [];
  if (relay.result.code !== oracle.result.code) problems.push(`exit code ${relay.result.code}, rsync's ${oracle.result.code}`);
  const [theirTree, myTree] = await snapshotsAfter(rsyncWork, relayWork, oracle, relay);
  const trees = compareSnapshots(theirTree, myTree, { ignore: c.ignore ?? [], atimes: c.atimes ?? false });
  if (trees.length > 0) problems.push(`the files differ from rsync's (rsync's first):\n    ${trees.join('\n    ')}`);
  if (c.xattrs) {
    const [mine, theirs] = [await xattrLines(relayWork), await xattrLines(rsyncWork)];
    const extra = mine.filter((line) => !theirs.includes(line));
    const missing = theirs.filter((line) => !mine.includes(line));
    if (extra.length + missing.length > 0) problems.push(`extended attributes differ: only relaysync's ${JSON.stringify(extra)}, only rsync's ${JSON.stringify(missing)}`);
  }
  const [mine, theirs] = [stdoutLines(relay.result.stdout), stdoutLines(oracle.result.stdout)];
  for (const part of ['lines', 'deletions', 'summary'] as const) {
    const extra = mine[part].filter((line) => !theirs[part].includes(line));
    const missing = theirs[part].filter((line) => !mine[part].includes(line));
    if (JSON.stringify(mine[part]) !== JSON.stringify(theirs[part])) {
      problems.push(`stdout ${part} differ: relaysync's own ${JSON.stringify(extra)}, rsync's own ${JSON.stringify(missing)}${extra.length + missing.length === 0 ? ' (order or count)' : ''}`);
    }
  }
  const [myErrors, theirErrors] = [stderrLines(relay.result.stderr), stderrLines(oracle.result.stderr)];
  if (c.stderrDiffers) {
    if (!c.stderrDiffers.relaysyncSays.test(relay.result.stderr)) problems.push(`stderr does not say ${c.stderrDiffers.relaysyncSays}`);
  } else if (JSON.stringify(myErrors) !== JSON.stringify(theirErrors)) {
    problems.push(`stderr differs: relaysync ${JSON.stringify(myErrors)}, rsync ${JSON.stringify(theirErrors)}`);
  }
  return problems;
}

/** Builds the working directory for one run of `c`. */
async function prepare(work: string, c: OptionCase, trees: { v1: string; v2: string }): Promise<void> {
  await mkdir(work);
  await copyTree(trees[c.version ?? 'v2'], path.join(work, 'src'));
  const start = c.start ?? 'baseline+extras';
  if (start !== 'none') {
    await copyTree(trees.v1, path.join(work, 'dest'));
    if (start === 'baseline+extras') await addDestinationExtras(path.join(work, 'dest'));
  }
  await c.setup?.(work);
}

/** The name a case's test goes by: its options and what it shows. */
function caseName(c: OptionCase): string {
  return [c.options.join(' '), c.about].filter((part) => part !== undefined && part !== '').join(': ');
}

/**
 * Declares one test per case, with a subtest per protocol, for a group of
 * options. Cells run two at a time: each is two rsync runs one after the
 * other, and the machine the suite targets has two cores.
 */
export function optionDifferential(group: string, cases: readonly OptionCase[]): void {
  const trees = { v1: '', v2: '' };
  let scratch = '';
  before(async () => {
    scratch = await scratchDir(undefined, `options-${group}`);
    trees.v1 = path.join(scratch, 'tree-v1');
    trees.v2 = path.join(scratch, 'tree-v2');
    await buildStandardTree(trees.v1);
    await copyTree(trees.v1, trees.v2);
    await changeStandardTree(trees.v2);
  });
  after(() => (scratch === '' ? undefined : exec('rm', ['-rf', scratch]).then(() => undefined)));

  const skip327 = skipUnlessRsync('3.2.7');
  cases.forEach((c, index) => {
    test(caseName(c), { concurrency: 2 }, async (t) => {
      const cells = (c.protocols ?? allProtocols).map((protocol, turn) => {
        const [source, dest] = versionPairs[(index + turn) % versionPairs.length]!;
        const uses327 = source === '3.2.7' || dest === '3.2.7';
        return t.test(`protocol ${protocol}, rsync ${source} → ${dest}`, { skip: uses327 ? skip327 : false }, () =>
          runCell(path.join(scratch, `${index}-${protocol}`), c, { protocol, source, dest }, trees),
        );
      });
      await Promise.all(cells);
    });
  });
}

async function runCell(work: string, c: OptionCase, cell: Cell, trees: { v1: string; v2: string }): Promise<void> {
  const request: TransferRequest = {
    options: [...c.options, `--protocol=${cell.protocol}`],
    sources: c.sources ?? ['src/'],
    dest: c.dest ?? 'dest/',
    sourceVersion: cell.source,
    destVersion: cell.dest,
  };
  const timed = async (run: () => Promise<RunResult>): Promise<Run> => {
    // From before the working directory is made: what it makes (a new file in setup) is as new in both.
    // File times come from a coarse clock that can lag a few milliseconds behind Date.now().
    const startedNs = BigInt(Date.now() - 20) * 1_000_000n;
    await prepare(work, c, trees);
    return { result: await run(), startedNs };
  };
  const oracle = await timed(() => runOracle(request, { cwd: work }));
  const rsyncWork = `${work}.rsync`;
  await rename(work, rsyncWork);
  const relay = await timed(() => runLocalRelay(request, { cwd: work }));
  const problems = await compareRuns(c, rsyncWork, work, oracle, relay);
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} difference(s) from rsync:\n  - ${problems.join('\n  - ')}\n\n` +
        `relaysync:\n${transcript(relay.result)}\nrsync (oracle):\n${transcript(oracle.result)}`,
    );
  }
}
