// Ctrl-C in the middle of a large transfer over SSH: relaysync exits with
// rsync's code for a signal (20), leaves no rsync running on either host, and
// leaves the destination as rsync would: nothing under the final name (an
// older version stays as it was), or with --partial the data received so far
// under the final name, which a re-run completes by delta. And a destination
// whose connection is cut in the middle: the run ends (code 12) instead of
// waiting for it, and nothing is left running.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { transcript } from '../harness/oracle.js';
import { startRelaysync, type RunResult } from '../harness/run.js';
import { assertSameTree, compareSnapshots, snapshot } from '../harness/snapshot.js';
import { parseOutput, statNumber } from '../harness/transfer-output.js';
import { buildTree, file, MiB } from '../harness/tree.js';
import { labSession } from './lab-session.js';

/** Large enough that a transfer is still running when the test interrupts it. */
const bigSize = 700 * MiB + 4321;
/** How much of the file must have arrived before Ctrl-C. */
const interruptAfter = 64 * MiB;
const tempFilePattern = /^\.big\.bin\.[A-Za-z0-9]{6}$/;

let source = '';

const session = labSession(async ({ lab }) => {
  source = path.join(lab.a.dataDir, 'big-source');
  // Pseudo-random and never repeating, so no block of it matches another.
  await buildTree(source, [file('big.bin', { size: bigSize }), file('small.txt', { content: 'small\n' })]);
});

interface Interrupted {
  readonly result: RunResult;
  /** The destination's temporary file as last seen before Ctrl-C. */
  readonly temp: { name: string; size: number };
}

/** Ctrl-C, as a terminal sends it to relaysync. */
const ctrlC = (pid: number): void => void process.kill(pid, 'SIGINT');

/**
 * Runs relaysync and, once the destination's temporary file for big.bin has
 * grown past `interruptAfter`, interrupts it: Ctrl-C unless `interrupt` says otherwise.
 */
async function interruptMidTransfer(args: readonly string[], dest: string, interrupt: (relaysyncPid: number) => void = ctrlC): Promise<Interrupted> {
  const running = startRelaysync(args, { env: session.lab.env });
  let finished = false;
  void running.result.finally(() => (finished = true)).catch(() => {});
  let temp: { name: string; size: number } | undefined;
  while (!finished) {
    const names = await readdir(dest).catch(() => [] as string[]);
    const name = names.find((n) => tempFilePattern.test(n));
    const size = name === undefined ? 0 : await stat(path.join(dest, name)).then((s) => s.size, () => 0);
    if (name !== undefined && size > interruptAfter) {
      temp = { name, size };
      interrupt(running.pid);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result = await running.result;
  assert.ok(temp, `the transfer ended before big.bin's temporary file passed ${interruptAfter} bytes:\n${transcript(result)}`);
  return { result, temp };
}

async function assertInterruptedCleanly({ result }: Interrupted): Promise<void> {
  assert.equal(result.code, 20, transcript(result));
  assert.match(result.stderr, /\(code 20\)/, transcript(result));
  assert.deepEqual(await session.lab.lingeringRsync(session.lab.a), [], 'rsync still runs on host-a');
  assert.deepEqual(await session.lab.lingeringRsync(session.lab.b), [], 'rsync still runs on host-b');
}

async function sha256(file: string, length?: number): Promise<string> {
  const hash = createHash('sha256');
  const options = length === undefined ? {} : { start: 0, end: length - 1 };
  for await (const chunk of createReadStream(file, options)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

test('Ctrl-C during a large transfer: exit code 20, no rsync left, nothing under the final name', async () => {
  const dest = path.join(session.lab.b.dataDir, 'interrupted');
  const run = await interruptMidTransfer(['-a', `host-a:${source}/`, `host-b:${dest}/`], dest);
  await assertInterruptedCleanly(run);
  const left = await readdir(dest);
  assert.equal(left.includes('big.bin'), false, `big.bin exists after the interrupt: ${JSON.stringify(left)}`);
  assert.deepEqual(left.filter((n) => tempFilePattern.test(n)), [], 'the temporary file was left behind');
});

test('Ctrl-C while replacing a file: the older version stays as it was', async () => {
  const dest = path.join(session.lab.b.dataDir, 'older');
  await buildTree(dest, [file('big.bin', { size: 3 * MiB, seed: 'older version', mtime: 1_600_000_000 })]);
  const before = await snapshot(dest);
  const run = await interruptMidTransfer(['-a', `host-a:${source}/`, `host-b:${dest}/`], dest);
  await assertInterruptedCleanly(run);
  const after = await snapshot(dest);
  assert.deepEqual(
    compareSnapshots(before, after, { ignore: ['dirMtime'] }).filter((line) => !line.startsWith('"small.txt"')),
    [],
    'the older big.bin changed',
  );
  assert.deepEqual((await readdir(dest)).filter((n) => tempFilePattern.test(n)), [], 'the temporary file was left behind');
});

test('Ctrl-C with --partial keeps the data so far under the final name; a re-run completes it by delta', async () => {
  const dest = path.join(session.lab.b.dataDir, 'partial');
  const target = path.join(dest, 'big.bin');
  const run = await interruptMidTransfer(['-a', '--partial', `host-a:${source}/`, `host-b:${dest}/`], dest);
  await assertInterruptedCleanly(run);

  // As rsync does with --partial: what arrived is kept under the final name, and it is the source's beginning.
  const partial = await stat(target).catch(() => undefined);
  assert.ok(partial, `no big.bin after the interrupt with --partial: ${JSON.stringify(await readdir(dest))}`);
  assert.ok(partial.size >= run.temp.size && partial.size < bigSize, `partial big.bin has ${partial.size} bytes`);
  assert.equal(await sha256(target), await sha256(path.join(source, 'big.bin'), partial.size), 'the partial file is not the start of the source');

  const rerun = await session.relaysync(['-a', '--partial', '--stats', `host-a:${source}/`, `host-b:${dest}/`]);
  assert.equal(rerun.code, 0, transcript(rerun));
  const out = parseOutput(rerun.stdout);
  assert.ok(statNumber(out, 'Matched data') > 0, `the re-run did not reuse the partial file:\n${rerun.stdout}`);
  assert.ok(statNumber(out, 'Literal data') < bigSize, rerun.stdout);
  await assertSameTree(source, dest);
});

test("a destination whose connection is cut mid-transfer: the run ends with code 12, no rsync left", async () => {
  const { lab } = session;
  const dest = path.join(lab.b.dataDir, 'cut');
  const listener = Number((await readFile(path.join(lab.b.sshdDir, 'sshd.pid'), 'utf8')).trim());
  // Killing host-b's sshd session process drops relaysync's connection to it, as a network failure would.
  const cut = (): void => {
    for (const pid of lab.processesNamed(lab.b, 'sshd')) if (pid !== listener) process.kill(pid, 'SIGKILL');
  };
  const { result } = await interruptMidTransfer(['-a', `host-a:${source}/`, `host-b:${dest}/`], dest, cut);
  assert.equal(result.code, 12, transcript(result));
  assert.match(result.stderr, /host-b: the connection to \S+ port \d+ (failed|was closed)/, transcript(result));
  assert.deepEqual(await lab.lingeringRsync(lab.a), [], 'rsync still runs on host-a');
  assert.equal((await readdir(dest)).includes('big.bin'), false, 'big.bin exists after the cut');
});
