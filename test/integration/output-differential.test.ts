// relaysync's output against plain rsync's, option by option: the same
// transfer made by rsync pushing to a server (the oracle) and by relaysync
// between two servers, from identical starting states, with one locale and
// one time zone, and the two stdouts (and log files) compared line by line
// as output-compare.ts describes. Each scenario runs on protocols 29 to 32;
// the ones whose output changes before protocol 29 (itemizing, deletions
// printed by the receiver, no file-list times) on 27 and 28 too; and the
// main ones with rsync 3.2.7 at either end.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runLocalRelay, runOracle, transcript, type TransferRequest } from '../harness/oracle.js';
import { compareOutputs, normalizeLog, normalizeOutput, type NormalizeOptions } from '../harness/output-compare.js';
import * as mutate from '../harness/mutate.js';
import { copyTree, scratchDir } from '../harness/relay-fixtures.js';
import type { RunResult } from '../harness/run.js';
import { buildTree, dir, file, hardlink, symlink } from '../harness/tree.js';
import { skipUnlessRsync, type RsyncVersion } from '../lab/rsync-binaries.js';

const exec = promisify(execFile);

/** One locale and one time zone for both: names are shown per the locale, times per the zone. */
const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };

interface Cell {
  readonly protocol: number | undefined;
  readonly source: RsyncVersion;
  readonly dest: RsyncVersion;
}

const modern: readonly Cell[] = [undefined, 31, 30, 29].map((protocol) => ({ protocol, source: '3.5.0', dest: '3.5.0' }));
const old: readonly Cell[] = [28, 27].map((protocol) => ({ protocol, source: '3.5.0', dest: '3.5.0' }));
const mixed: readonly Cell[] = [
  { protocol: undefined, source: '3.2.7', dest: '3.5.0' },
  { protocol: undefined, source: '3.5.0', dest: '3.2.7' },
  { protocol: 30, source: '3.2.7', dest: '3.5.0' },
];

interface Scenario {
  readonly name: string;
  readonly options: readonly string[];
  /** The destination starts as the older tree with extras (default), or does not exist yet. */
  readonly fresh?: boolean;
  /** Also compare the --log-file each writes. */
  readonly log?: boolean;
  /** The cells to run on, beyond protocols 29-32 (unless `only`). */
  readonly also?: readonly Cell[];
  /** The cells to run on instead of protocols 29-32. */
  readonly only?: readonly Cell[];
  /** Lines of this scenario's format that come from the receiver (its deletions). */
  readonly floating?: readonly RegExp[];
  /** Lines relaysync prints that rsync does not, and why. */
  readonly extra?: { readonly line: RegExp; readonly why: string };
  /** The options for a cell whose oracle client is rsync 3.2.7, when its output differs from 3.5.0's (relaysync prints 3.5.0's). */
  readonly with327Client?: readonly string[];
}

const everyEscape = "%o|%i|%n|%L|%l|%'l|%''l|%'''l|%b|%c|%f|%M|%B|%U|%G|%C|%m|%%|%10n|%-12l|%05U|%-3G|%12L|%h|%a|%P|%u|%x|%";
/** rsync 3.2.7's client leaves "%%" as written; 3.5.0's prints "%", and so does relaysync. */
const everyEscapeBut327s = everyEscape.replace('|%%|', '|');

const scenarios: readonly Scenario[] = [
  { name: '-v --delete --stats', options: ['-av', '--delete', '--stats'], log: true, also: [...old, ...mixed] },
  { name: '-v into a new destination', options: ['-av', '--stats'], fresh: true, also: [...old, ...mixed] },
  { name: '-vv', options: ['-avv'], also: mixed },
  { name: '-i --delete', options: ['-ai', '--delete'], log: true, also: [...old, ...mixed] },
  { name: '-ii', options: ['-aii'], also: [...old, ...mixed] },
  { name: '-i -H (hard links)', options: ['-aiH'] },
  {
    name: '--out-format with every escape',
    options: ['-a', '--delete', `--out-format=${everyEscape}`],
    with327Client: ['-a', '--delete', `--out-format=${everyEscapeBut327s}`],
    floating: [/^del\.\|/],
    also: [...old, ...mixed],
  },
  { name: '--out-format %C with -c', options: ['-ac', '--out-format=%C %n %b'] },
  { name: '-h --stats', options: ['-avh', '--stats'] },
  { name: '-hh --stats', options: ['-avhh', '--stats'] },
  { name: '--no-h --stats', options: ['-av', '--no-h', '--stats'] },
  { name: '-q', options: ['-aq', '--delete'], log: true },
  { name: '--progress', options: ['-a', '--progress'], also: [...old, ...mixed] },
  { name: '-P -v --no-inc-recursive', options: ['-avP', '--no-inc-recursive'] },
  { name: '--progress with a %b format', options: ['-a', '--progress', '--out-format=%n %b'] },
  { name: '--info=progress2', options: ['-a', '--info=progress2'] },
  { name: '-n -v --delete (dry run)', options: ['-anv', '--delete'], log: true },
  { name: '-n -i --out-format %C', options: ['-ani', '--out-format=%i %n %C %b'] },
  { name: '--log-file-format', options: ['-av', '--delete', '--log-file-format=%o %i %f %b %c %l %n%L'], log: true, also: old },
  { name: '--info words', options: ['-a', '--delete', '--info=name2,del0,flist0,stats2'] },
  { name: '-vv --ignore-existing (skipped files)', options: ['-avv', '--ignore-existing'] },
  { name: '-vv -u (newer files)', options: ['-avv', '-u'] },
  { name: '-v without -D (non-regular files)', options: ['-rltv'] },
  {
    name: '--debug of the sender',
    options: ['-av', '--debug=send,deltasum2'],
    extra: { line: /^server_sender starting pid=\d+$/, why: 'the sender is a server, and its SEND debugging says so first' },
    // The sender's debug lines come from the source, ahead of or behind its items as its buffers are flushed.
    floating: [/./],
    // Before incremental recursion the list's header waits for its "done", and a debug line may come between.
    only: [modern[0]!],
  },
];

let work = '';
let sourceTree = '';
let baseline = '';

/**
 * The source: files unchanged, changed in place (a delta), appended, with
 * new permissions, a new time or a new symlink target, new files and
 * directories, a hard-link pair, a fifo, names with a newline and with a
 * byte that is not UTF-8. The destination: the source's older version,
 * with entries --delete removes.
 */
before(async () => {
  work = await scratchDir(undefined, 'output-diff');
  sourceTree = path.join(work, 'source');
  baseline = path.join(work, 'baseline');
  await buildTree(sourceTree, [
    file('a.txt', { content: 'hello\n' }),
    file('same/keep.txt', { content: 'kept\n' }),
    file('delta.bin', { size: 200_000 }),
    file('log.txt', { content: 'line 1\n' }),
    file('perms.txt', { content: 'perms\n', mode: 0o644 }),
    file('time.txt', { content: 'time\n' }),
    file('empty'),
    file('two\nlines', { content: 'newline in the name' }),
    file(Buffer.from('caf\xe9', 'latin1'), { content: 'latin-1 name' }),
    file('dir/sub/deep.txt', { content: 'deep\n' }),
    file('hard/one', { content: 'shared inode\n' }),
    hardlink('hard/two', 'hard/one'),
    symlink('link', 'a.txt'),
    dir('empty-dir'),
  ]);
  await exec('mkfifo', [path.join(sourceTree, 'fifo')]);
  await exec('touch', ['-h', '-d', '@1600000000', path.join(sourceTree, 'fifo')]);
  await copyTree(sourceTree, baseline);
  await mutate.add(baseline, [file('extra.txt', { content: 'only here' }), file('extra-dir/x', { content: 'x' })]);
  await mutate.overwrite(sourceTree, 'delta.bin', 100_000, 'changed in place');
  await mutate.append(sourceTree, 'log.txt', 'line 2\n');
  await exec('chmod', ['0600', path.join(sourceTree, 'perms.txt')]);
  // The same bytes, a second later: only the time changed.
  await mutate.overwrite(sourceTree, 'time.txt', 0, 'time\n');
  await mutate.remove(sourceTree, 'link');
  await mutate.add(sourceTree, [symlink('link', 'log.txt'), file('new.txt', { content: 'new\n' }), file('new-dir/inner.txt', { content: 'inner\n' })]);
});

after(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

function cellName(cell: Cell): string {
  return `protocol ${cell.protocol ?? 'default'}, rsync ${cell.source} → ${cell.dest}`;
}

/** One run of a scenario: its destination, options and log file. */
async function runOne(
  scenario: Scenario,
  cell: Cell,
  dest: string,
  log: string,
  run: (r: TransferRequest, o: { env: NodeJS.ProcessEnv }) => Promise<RunResult>,
): Promise<RunResult> {
  await rm(dest, { recursive: true, force: true });
  if (!scenario.fresh) await copyTree(baseline, dest);
  const options = [
    ...(cell.source === '3.2.7' && scenario.with327Client ? scenario.with327Client : scenario.options),
    ...(cell.protocol === undefined ? [] : [`--protocol=${cell.protocol}`]),
    ...(scenario.log ? [`--log-file=${log}`] : []),
  ];
  return run({ options, sources: [`${sourceTree}/`], dest: `${dest}/`, sourceVersion: cell.source, destVersion: cell.dest }, { env });
}

for (const scenario of scenarios) {
  describe(scenario.name, () => {
    for (const cell of scenario.only ?? [...modern, ...(scenario.also ?? [])]) {
      const needs327 = cell.source === '3.2.7' || cell.dest === '3.2.7';
      it(cellName(cell), { skip: needs327 ? skipUnlessRsync('3.2.7') : false }, async () => {
        const [oracleDest, relayDest] = [path.join(work, 'by-rsync'), path.join(work, 'by-relaysync')];
        const [oracleLog, relayLog] = [path.join(work, 'rsync.log'), path.join(work, 'relaysync.log')];
        await rm(oracleLog, { force: true });
        await rm(relayLog, { force: true });
        const oracle = await runOne(scenario, cell, oracleDest, oracleLog, runOracle);
        const relay = await runOne(scenario, cell, relayDest, relayLog, runLocalRelay);
        const both = `relaysync:\n${transcript(relay)}\nrsync (oracle):\n${transcript(oracle)}`;
        assert.equal(oracle.code, 0, `the oracle failed (test setup problem)\n${both}`);
        assert.equal(relay.code, oracle.code, both);

        const options: NormalizeOptions = { replace: [relayDest, oracleDest], floating: scenario.floating };
        const mine = normalizeOutput(relay.stdout, options);
        const extra = scenario.extra;
        const problems = compareOutputs(extra ? { ...mine, lines: mine.lines.filter((l) => !extra.line.test(l)) } : mine, normalizeOutput(oracle.stdout, options), options);
        if (scenario.log) {
          const [mine, theirs] = await Promise.all([relayLog, oracleLog].map(async (f) => normalizeLog(await readFile(f, 'utf8'), options)));
          if (mine!.badPrefixes.length > 0) problems.push(`log lines without rsync's time and pid: ${JSON.stringify(mine!.badPrefixes)}`);
          const logProblems = compareOutputs({ lines: mine!.lines, sent: undefined, received: undefined }, { lines: theirs!.lines, sent: undefined, received: undefined }, options);
          problems.push(...logProblems.map((p) => `log file: ${p}`));
          if (logProblems.length > 0) problems.push(`relaysync's log:\n${mine!.lines.join('\n')}\nrsync's log:\n${theirs!.lines.join('\n')}`);
        }
        assert.ok(problems.length === 0, `${problems.length} difference(s):\n  - ${problems.join('\n  - ')}\n\n${both}`);
      });
    }
  });
}
