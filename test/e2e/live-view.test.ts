// The live view as a person sees it: relaysync on a real terminal (tmux)
// relaying between the lab's two hosts, slowed by --bwlimit so that the
// screen can be read while files are in flight; then the summary it leaves.
// At 80x24, at 40 columns, across a resize, with Ctrl-C, with -v's lines
// above it, and switched off by -q and --no-progress.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { relaysyncBin } from '../harness/run.js';
import { assertSameTree } from '../harness/snapshot.js';
import { TmuxWindow } from '../harness/tmux.js';
import { buildTree, file } from '../harness/tree.js';
import { labSession } from './lab-session.js';

const FILES = 40;
/** 40 files of 200,000 bytes: 8.00MB, some seconds at --bwlimit=2m. */
const FILE_SIZE = 200_000;
/** ".", four directories and the files. */
const ENTRIES = FILES + 5;
const names = Array.from({ length: FILES }, (_, i) => `dir${i % 4}/file-${String(i).padStart(3, '0')}.bin`);

let source = '';
let runs = 0;

const session = labSession(async ({ lab }) => {
  source = path.join(lab.a.dataDir, 'live-source');
  await buildTree(source, names.map((name) => file(name, { size: FILE_SIZE })));
});

/** relaysync from host-a to a new directory on host-b, on a terminal of that size. */
async function onTerminal(t: TestContext, options: readonly string[], columns: number, rows = 24): Promise<{ window: TmuxWindow; dest: string }> {
  const dest = path.join(session.lab.b.dataDir, `live-${runs++}`);
  const window = await TmuxWindow.start(relaysyncBin, [...options, `host-a:${source}/`, `host-b:${dest}/`], { columns, rows, env: { HOME: session.lab.home, PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  t.after(() => window.close());
  return { window, dest };
}

/** A screen in the test's output, a line at a time. */
function show(t: TestContext, title: string, rows: readonly string[]): void {
  t.diagnostic(`${title}:`);
  for (const row of rows) t.diagnostic(`  ${row}`);
}

const inFlight = (rows: readonly string[]): boolean => rows.some((r) => /^Sending +\d+% dir\d\/file-\d{3}\.bin/.test(r));

/** Each row of the view starts with its label or under one: the rest of a row the terminal had to wrap would not. */
function assertLaidOut(rows: readonly string[], labelWidth: number): void {
  const label = new RegExp(`^((Relay|Running|Done|Stopped|Failed|Files|Bytes|Delta|Sending|Issues) +| {${labelWidth}} *)\\S`);
  for (const row of rows) assert.match(row, label, `a row out of the view's layout:\n${rows.join('\n')}`);
}

test('80x24: route, settings, counts, bytes and files in flight while it runs; the summary after', async (t) => {
  const { window, dest } = await onTerminal(t, ['-a', '--bwlimit=2m'], 80);
  const running = await window.waitFor(inFlight, 'a file in flight');
  show(t, 'while running', running);
  assert.match(running[0]!, /^Relay {5}host-a:\S*live-source\/$/);
  assert.match(running[1]!, /^ {10}-> host-b:\S*live-\d+\/$/);
  assert.equal(running[2], '          protocol 32, checksum xxh128, no compression, incremental file list');
  assert.match(running[3]!, /^Running {3}0:00:\d\d, transferring$/);
  const files = running.find((r) => r.startsWith('Files'));
  const [, checked, listed] = /^Files {5}(\d+) of (\d+) checked/.exec(files ?? '') ?? [];
  assert.ok(Number(checked) <= Number(listed) && Number(listed) <= ENTRIES, files);
  assert.ok(running.some((r) => /^Bytes {5}[\d.]+[KM]?B of [\d.]+MB( so far)?, [\d.]+[KM]?B\/s/.test(r)), running.join('\n'));
  assertLaidOut(running, 10);

  const { code, screen } = await window.exited();
  show(t, 'final screen at 80x24', screen);
  assert.equal(code, 0, screen.join('\n'));
  assert.equal(screen.length, 7, screen.join('\n'));
  assert.match(screen[3]!, /^Done {6}exit 0: success, in 0:00:\d\d$/);
  assert.equal(screen[4], `Files     ${ENTRIES} checked, ${FILES} sent`);
  assert.match(screen[5]!, /^Bytes {5}8\.00MB sent, [\d.]+[KM]B\/s on average$/);
  assert.equal(screen[6], 'Delta     0% saved, 8.00MB literal, 0B matched');
  await assertSameTree(source, dest);
});

test('40 columns: rows fold onto more lines, nothing wraps, names are cut in the middle', async (t) => {
  const { window } = await onTerminal(t, ['-a', '--bwlimit=2m'], 40);
  const running = await window.waitFor(inFlight, 'a file in flight');
  show(t, 'while running at 40 columns', running);
  assert.match(running[0]!, /^Relay {3}host-a:\S*…\S*live-source\/$/);
  assert.match(running[1]!, /^ {8}-> host-b:\S*…\S*\/$/);
  assert.deepEqual(running.slice(2, 5), ['        protocol 32, checksum xxh128', '        no compression', '        incremental file list']);
  assertLaidOut(running, 8);

  const { code, screen } = await window.exited();
  show(t, 'final screen at 40 columns', screen);
  assert.equal(code, 0);
  assertLaidOut(screen, 8);
  assert.match(screen[5]!, /^Done {4}exit 0: success, in 0:00:\d\d$/);
  assert.equal(screen[6], `Files   ${ENTRIES} checked, ${FILES} sent`);
  // The average rate's digits decide whether it fits beside the bytes.
  assert.match(screen.slice(7).join('\n'), /^Bytes {3}8\.00MB sent(, |\n {8})[\d.]+[KM]B\/s on average\nDelta {3}0% saved, 8\.00MB literal\n {8}0B matched$/);
});

test('a terminal made narrower mid-run shows one view, laid out for its new width', async (t) => {
  const { window } = await onTerminal(t, ['-a', '--bwlimit=2m'], 80);
  await window.waitFor(inFlight, 'a file in flight');
  await window.resize(40, 24);
  const narrow = await window.waitFor((rows) => rows.some((r) => r.startsWith('Relay   ')) && inFlight(rows), 'the view at 40 columns');
  show(t, 'after the resize', narrow);
  assert.equal(narrow.filter((r) => r.startsWith('Relay')).length, 1, narrow.join('\n'));
  assert.equal(narrow.filter((r) => r.startsWith('Running')).length, 1, narrow.join('\n'));
  assertLaidOut(narrow, 8);
  const { code, screen } = await window.exited();
  assert.equal(code, 0);
  assert.equal(screen.filter((r) => r.startsWith('Relay')).length, 1, screen.join('\n'));
  assertLaidOut(screen, 8);
});

test('Ctrl-C stops both servers at once, asks nothing, and the view says so', async (t) => {
  const { window } = await onTerminal(t, ['-a', '--bwlimit=1m'], 80);
  await window.waitFor(inFlight, 'a file in flight');
  await window.press('C-c');
  const { code, screen } = await window.exited();
  show(t, 'after Ctrl-C', screen);
  assert.equal(code, 20);
  assert.ok(screen.some((r) => /^Stopped {3}exit 20: received SIGINT, SIGTERM, or SIGHUP, in 0:00:\d\d$/.test(r)), screen.join('\n'));
  assert.ok(!screen.some((r) => r.includes('?')), `something asked a question:\n${screen.join('\n')}`);
  assert.deepEqual(await session.lab.lingeringRsync(session.lab.a), [], 'rsync still runs on host-a');
  assert.deepEqual(await session.lab.lingeringRsync(session.lab.b), [], 'rsync still runs on host-b');
});

test("-v: rsync's lines scroll above the view, each once, and the view stays below them", async (t) => {
  const { window } = await onTerminal(t, ['-av', '--bwlimit=4m'], 80);
  const { code, screen } = await window.exited();
  assert.equal(code, 0);
  const history = await window.history();
  for (const name of names) assert.equal(history.filter((r) => r === name).length, 1, `${name} is not shown exactly once:\n${history.join('\n')}`);
  const relay = screen.findIndex((r) => r.startsWith('Relay'));
  const sent = screen.findIndex((r) => /^sent [\d,]+ bytes {2}received [\d,]+ bytes/.test(r));
  assert.ok(sent >= 0 && sent < relay, `rsync's summary is not above the view:\n${screen.join('\n')}`);
  assert.match(screen.at(-4)!, /^Done {6}exit 0: success/);
});

for (const option of ['-q', '--no-progress']) {
  test(`${option}: no view; the terminal gets rsync's own output, here none`, async (t) => {
    const { window, dest } = await onTerminal(t, ['-a', option], 80);
    const { code, screen } = await window.exited();
    assert.equal(code, 0);
    assert.deepEqual(screen, []);
    await assertSameTree(source, dest);
  });
}
