// The differential matrix: every cell makes the same transfers with
// relaysync (two local rsync servers, the whole broker in between) and with
// plain rsync (the oracle: a client of the source's version pushing to a
// server of the destination's version), from identical starting states, and
// requires the same destination tree (contents, modes, mtimes, owners,
// symlink targets, hard links, specials, deletions), the same exit code and
// the same -v and --stats lines.
//
// Cells: protocols 27 to 32 × rsync 3.5.0/3.2.7 on either side, each with an
// option set (-aH, -az, -ac or -aHzc) rotating so that every protocol and
// every version pair meets each of them; four cells (protocols 27 and 32,
// 3.5.0 on both sides and each mixed pair) also carry a file over 64 MiB.
//
// Steps in every cell, each from its own fresh copies of one starting state:
//   initial copy         -> into a destination that does not exist yet
//   no-change re-run     -> nothing listed, 0 files transferred
//   changed files        -> delta transfer: matched data > 0
//   --delete             -> extras and entries gone from the source deleted
//   missing source       -> exit code 23, everything else still synced
import assert from 'node:assert/strict';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { skipUnlessRsync, type RsyncVersion } from '../lab/rsync-binaries.js';
import { runLocalRelay, runOracle, transcript, type TransferRequest } from '../harness/oracle.js';
import {
  addDestinationExtras,
  bigFile,
  buildStandardTree,
  changeStandardTree,
  copyTree,
  extraDeletionLines,
  mediumFile,
  scratchDir,
} from '../harness/relay-fixtures.js';
import type { RunResult } from '../harness/run.js';
import { compareSnapshots, snapshot, type Attribute } from '../harness/snapshot.js';
import { deterministicStats, parseOutput, statNumber, type TransferOutput } from '../harness/transfer-output.js';

const protocols = [27, 28, 29, 30, 31, 32] as const;
const versionPairs: readonly (readonly [RsyncVersion, RsyncVersion])[] = [
  ['3.5.0', '3.5.0'],
  ['3.2.7', '3.5.0'],
  ['3.5.0', '3.2.7'],
  ['3.2.7', '3.2.7'],
];
const optionSets = ['-aH', '-az', '-ac', '-aHzc'] as const;
/** The cells that also carry a file over 64 MiB (it is slow): both ends of the protocol range, and both mixed pairs. */
const bigCells = new Set(['27 3.5.0 3.5.0', '27 3.2.7 3.5.0', '32 3.5.0 3.2.7', '32 3.5.0 3.5.0']);

interface Cell {
  readonly protocol: number;
  readonly source: RsyncVersion;
  readonly dest: RsyncVersion;
  readonly flags: (typeof optionSets)[number];
  readonly big: boolean;
  readonly name: string;
}

const cells: Cell[] = protocols.flatMap((protocol, i) =>
  versionPairs.map(([source, dest], j) => {
    const flags = optionSets[(i + j) % optionSets.length]!;
    const big = bigCells.has(`${protocol} ${source} ${dest}`);
    const name = `protocol ${protocol}, rsync ${source} → ${dest}, ${flags}${big ? ', with a 64 MiB file' : ''}`;
    return { protocol, source, dest, flags, big, name };
  }),
);

const skip327 = skipUnlessRsync('3.2.7');

/** The source trees, built once: version 1 and its changed version 2, with and without the big file. */
const trees = { small: { v1: '', v2: '' }, big: { v1: '', v2: '' } };
let work = '';

before(async () => {
  work = await scratchDir(undefined, 'matrix');
  for (const big of [false, true]) {
    const names = big ? trees.big : trees.small;
    names.v1 = path.join(work, big ? 'big-v1' : 'small-v1');
    names.v2 = path.join(work, big ? 'big-v2' : 'small-v2');
    await buildStandardTree(names.v1, { big });
    await copyTree(names.v1, names.v2);
    await changeStandardTree(names.v2, { big });
  }
});

after(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

interface StepResult {
  readonly relay: RunResult;
  readonly oracle: RunResult;
  readonly relayOut: TransferOutput;
  readonly oracleOut: TransferOutput;
  readonly relayDest: string;
  readonly oracleDest: string;
  /** Every way relaysync's run differed from the oracle's, and every failed step-specific check: all reported at once. */
  readonly problems: string[];
  /** Both transcripts, for failure messages. */
  readonly both: string;
}

interface Step {
  /** Sources, relative to the cell's source tree: '' is the tree itself (given with a trailing slash). */
  readonly sources: readonly string[];
  readonly version: 'v1' | 'v2';
  /** The destination's starting state: none (it does not exist), or the initial copy, with or without extras. */
  readonly start: 'none' | 'baseline' | 'baseline+extras';
  readonly options?: readonly string[];
  /** Where to keep a copy of the oracle's result, made before anything is compared. */
  readonly keepOracleAs?: string;
}

/**
 * Runs one step with relaysync and with the oracle, each into its own copy
 * of the starting state, and records every way they differ. Nothing is
 * asserted yet, so one failure does not hide the others: finish() does.
 */
async function runStep(cell: Cell, dir: string, baseline: string, name: string, step: Step): Promise<StepResult> {
  const tree = (cell.big ? trees.big : trees.small)[step.version];
  const relayDest = path.join(dir, `${name}-relaysync`);
  const oracleDest = path.join(dir, `${name}-rsync`);
  for (const dest of [relayDest, oracleDest]) {
    if (step.start === 'none') continue;
    await copyTree(baseline, dest);
    if (step.start === 'baseline+extras') await addDestinationExtras(dest);
  }
  const request = (dest: string): TransferRequest => ({
    options: [cell.flags, '-v', '--stats', `--protocol=${cell.protocol}`, ...(step.options ?? [])],
    sources: step.sources.map((source) => (source === '' ? `${tree}/` : path.join(tree, source))),
    dest: `${dest}/`,
    sourceVersion: cell.source,
    destVersion: cell.dest,
  });
  const oracle = await runOracle(request(oracleDest));
  if (step.keepOracleAs !== undefined) await copyTree(oracleDest, step.keepOracleAs);
  const relay = await runLocalRelay(request(relayDest));
  const both = `relaysync:\n${transcript(relay)}\nrsync (oracle):\n${transcript(oracle)}`;

  const problems: string[] = [];
  if (relay.code !== oracle.code) problems.push(`exit code ${relay.code}, rsync's ${oracle.code}`);
  const treeDifferences = compareSnapshots(await snapshot(oracleDest), await snapshot(relayDest));
  if (treeDifferences.length > 0) {
    problems.push(`the destination differs from rsync's (expected: rsync's, actual: relaysync's):\n    ${treeDifferences.join('\n    ')}`);
  }
  const relayOut = parseOutput(relay.stdout);
  const oracleOut = parseOutput(oracle.stdout);
  if (relayOut.header !== oracleOut.header) problems.push(`file-list header ${JSON.stringify(relayOut.header)}, rsync's ${JSON.stringify(oracleOut.header)}`);
  // The sender lists the items and the receiver reports its deletions. The
  // deletions come in the receiver's order, but where they fall among the
  // items, and where directories fall among the files being sent, depends
  // on timing, in plain rsync as through the relay: items compare as sets.
  const deletions = (out: TransferOutput) => out.items.filter((line) => line.startsWith('deleting '));
  const others = (out: TransferOutput) => out.items.filter((line) => !line.startsWith('deleting ')).sort();
  for (const [what, pick] of [['items', others], ['deletions', deletions]] as const) {
    const [mine, theirs] = [pick(relayOut), pick(oracleOut)];
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
      problems.push(`-v lists other ${what} than rsync: ${JSON.stringify(mine)}, rsync's ${JSON.stringify(theirs)}`);
    }
  }
  for (const label of deterministicStats) {
    const [mine, theirs] = [relayOut.stats.get(label), oracleOut.stats.get(label)];
    if (mine !== theirs) problems.push(`--stats "${label}: ${mine}", rsync's "${label}: ${theirs}"`);
  }
  if (relayOut.totalSize !== oracleOut.totalSize) problems.push(`"total size is ${relayOut.totalSize}", rsync's ${oracleOut.totalSize}`);
  return { relay, oracle, relayOut, oracleOut, relayDest, oracleDest, problems, both };
}

/** Records a failed step-specific check. */
function expect(r: StepResult, ok: boolean, what: string): void {
  if (!ok) r.problems.push(what);
}

/** Fails the step with everything recorded. */
function finish(r: StepResult): void {
  assert.ok(r.problems.length === 0, `${r.problems.length} problem(s):\n  - ${r.problems.join('\n  - ')}\n\n${r.both}`);
}

/** What a comparison of a destination with its source must leave out for this cell. */
function sourceComparison(cell: Cell): { ignore: Attribute[] } {
  return {
    ignore: [
      // Without -H the names of a hard-link group arrive as separate files.
      ...(cell.flags.includes('H') ? [] : ['hardLinks' as const]),
      // Below protocol 31 mtimes travel in whole seconds.
      ...(cell.protocol < 31 ? ['subsecond' as const] : []),
    ],
  };
}

/** A --stats number, or NaN (recorded as a problem) when the line is missing. */
function stat(r: StepResult, label: string): number {
  try {
    return statNumber(r.relayOut, label);
  } catch (err) {
    r.problems.push((err as Error).message);
    return Number.NaN;
  }
}

for (const cell of cells) {
  const needs327 = cell.source === '3.2.7' || cell.dest === '3.2.7';
  test(cell.name, { skip: needs327 ? skip327 : false }, async (t: TestContext) => {
    const dir = await scratchDir(t, 'cell');
    const baseline = path.join(dir, 'baseline');
    const tree = cell.big ? trees.big : trees.small;

    await t.test('initial copy', async () => {
      const r = await runStep(cell, dir, baseline, 'initial', { sources: [''], version: 'v1', start: 'none', keepOracleAs: baseline });
      // The oracle really made the copy, so agreeing with it means something.
      const copied = compareSnapshots(await snapshot(tree.v1), await snapshot(r.oracleDest), sourceComparison(cell)).filter(
        // Below protocol 30 rsync sends mtimes as unsigned 32-bit numbers: 1969 arrives as 2106.
        (line) => !(cell.protocol < 30 && line.startsWith('"before-1970": mtime ')),
      );
      assert.deepEqual(copied, [], `plain rsync's copy differs from the source (test setup problem)\n${transcript(r.oracle)}`);
      expect(r, r.relay.code === 0, `exit code ${r.relay.code}, not 0`);
      const names = ['plain.txt', 'name with  spaces.txt', 'new\\#012line', 'caf\\#351.txt', '-leading-dash', 'links/dangling -> nowhere/at/all'];
      if (cell.big) names.push(bigFile);
      for (const name of names) expect(r, r.relayOut.items.includes(name), `-v does not list ${JSON.stringify(name)}`);
      expect(r, stat(r, 'Number of regular files transferred') > 10, 'fewer than 10 files transferred');
      finish(r);
    });

    await t.test('no-change re-run transfers nothing', async () => {
      await access(baseline);
      const r = await runStep(cell, dir, baseline, 'unchanged', { sources: [''], version: 'v1', start: 'baseline' });
      expect(r, r.relay.code === 0, `exit code ${r.relay.code}, not 0`);
      expect(r, r.relayOut.header !== undefined, 'no file-list header');
      expect(r, r.relayOut.items.length === 0, `-v lists items on a run with nothing to do: ${JSON.stringify(r.relayOut.items)}`);
      expect(r, stat(r, 'Number of regular files transferred') === 0, 'files were transferred');
      expect(r, stat(r, 'Literal data') === 0, 'literal data was sent');
      finish(r);
    });

    await t.test('changed files go by delta', async () => {
      await access(baseline);
      const r = await runStep(cell, dir, baseline, 'changed', { sources: [''], version: 'v2', start: 'baseline' });
      expect(r, r.relay.code === 0, `exit code ${r.relay.code}, not 0`);
      for (const name of cell.big ? [mediumFile, bigFile] : [mediumFile]) {
        expect(r, r.relayOut.items.includes(name), `-v does not list the changed ${name}`);
      }
      // Only -c notices a same-size change that kept the old mtime.
      const plainListed = r.relayOut.items.includes('plain.txt');
      expect(r, plainListed === cell.flags.includes('c'), `plain.txt (same size and mtime, other bytes) ${plainListed ? 'was' : 'was not'} transferred`);
      const matched = stat(r, 'Matched data');
      expect(r, matched > 0, 'Matched data is not above 0: the delta algorithm did not work through the relay');
      expect(r, stat(r, 'Literal data') < matched, 'more literal data than matched data');
      finish(r);
    });

    await t.test('--delete removes what the source does not have', async () => {
      await access(baseline);
      const r = await runStep(cell, dir, baseline, 'delete', {
        sources: [''],
        version: 'v2',
        start: 'baseline+extras',
        options: ['--delete'],
      });
      expect(r, r.relay.code === 0, `exit code ${r.relay.code}, not 0`);
      for (const line of [...extraDeletionLines, 'deleting gone/', 'deleting gone-file.txt', 'deleting links/gone-link']) {
        expect(r, r.relayOut.items.includes(line), `no "${line}" line in the -v output`);
      }
      // After --delete the destination holds exactly the source's names.
      const names = compareSnapshots(await snapshot(tree.v2), await snapshot(r.relayDest), {
        ignore: ['mtime', 'dirMtime', 'content', 'mode', 'owner', 'hardLinks'],
      });
      expect(r, names.length === 0, `the destination's names are not the source's:\n    ${names.join('\n    ')}`);
      finish(r);
    });

    await t.test('a missing source operand: exit code 23 and the rest synced', async () => {
      await access(baseline);
      const r = await runStep(cell, dir, baseline, 'missing', {
        sources: ['', 'no-such-entry'],
        version: 'v2',
        start: 'baseline',
      });
      assert.equal(r.oracle.code, 23, transcript(r.oracle));
      expect(r, /no-such-entry.*No such file or directory/.test(r.relay.stderr), 'stderr does not say which source is missing');
      expect(r, r.relayOut.items.includes('new-file.txt'), 'the rest of the source was not synced (new-file.txt not listed)');
      finish(r);
    });
  });
}
