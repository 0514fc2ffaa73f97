// What relaysync writes when no person watches a terminal, over SSH between
// the lab's hosts: rsync's own lines and nothing else on a pipe; --json
// events that fit the schema README documents and say what plain rsync
// reports for the same transfer; and the --log-json log, at its default
// level and with the protocol trace.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { eventSchemaErrors, parseEvents } from '../harness/event-schema.js';
import { runOracle, transcript } from '../harness/oracle.js';
import { copyTree, latin1Name } from '../harness/relay-fixtures.js';
import { parseOutput, statNumber } from '../harness/transfer-output.js';
import { buildTree, file, symlink } from '../harness/tree.js';
import { labSession } from './lab-session.js';

/** In the source's secret.txt: the trace must never show it. */
const CONTENT_MARK = 'RECOGNISABLE-CONTENT-7f3a';

let source = '';
let runs = 0;

const session = labSession(async ({ lab }) => {
  source = path.join(lab.a.dataDir, 'modes-source');
  await buildTree(source, [
    file('a.txt', { content: 'alpha\n' }),
    file('sub/b.bin', { size: 300_000, seed: 'b' }),
    file(latin1Name, { content: 'latin\n' }),
    symlink('link', 'a.txt'),
    file('secret.txt', { content: `${CONTENT_MARK}\n` }),
  ]);
});

/**
 * A destination on host-b with a file to delete and the first two thirds of
 * sub/b.bin (so its transfer is a delta), and a copy of it for plain rsync.
 */
async function destinations(): Promise<{ dest: string; oracleDest: string }> {
  const dest = path.join(session.lab.b.dataDir, `modes-${runs++}`);
  await buildTree(dest, [file('old.txt', { content: 'old\n' }), file('sub/b.bin', { size: 200_000, seed: 'b' })]);
  const oracleDest = `${dest}-by-rsync`;
  await copyTree(dest, oracleDest);
  return { dest, oracleDest };
}

/** Plain rsync pushing the same source into the copy: the oracle. */
async function oracle(options: readonly string[], dest: string) {
  const result = await runOracle({ options, sources: [`${source}/`], dest: `${dest}/`, sourceVersion: '3.5.0', destVersion: '3.5.0' });
  assert.equal(result.code, 0, transcript(result));
  return result;
}

const relay = (options: readonly string[], dest: string) => session.relaysync([...options, `host-a:${source}/`, `host-b:${dest}/`]);

test('without a terminal: -a prints nothing; -ai --delete prints what rsync prints, and no escape code', async () => {
  const quiet = await relay(['-a'], (await destinations()).dest);
  assert.equal(quiet.code, 0, transcript(quiet));
  assert.equal(quiet.stdout, '');
  assert.equal(quiet.stderr, '');

  const { dest, oracleDest } = await destinations();
  const result = await relay(['-ai', '--delete'], dest);
  assert.equal(result.code, 0, transcript(result));
  const expected = await oracle(['-ai', '--delete'], oracleDest);
  assert.equal(result.stdout, expected.stdout);
  assert.equal(result.stderr, '');
  assert.doesNotMatch(result.stdout, /\x1b/);
});

test('--json: every event fits the schema; start, each file and the summary say what rsync reports for the same transfer', async () => {
  const { dest, oracleDest } = await destinations();
  const result = await relay(['-a', '--delete', '--json'], dest);
  assert.equal(result.code, 0, transcript(result));
  assert.equal(result.stderr, '');
  const events = parseEvents(result.stdout);
  for (const event of events) assert.deepEqual(eventSchemaErrors(event), [], JSON.stringify(event));

  // What plain rsync says of each file (itemized, name, size, bytes sent) and of the run.
  const expected = await oracle(['-a', '--delete', '--stats', '--out-format=%i|%n|%l|%b'], oracleDest);
  const out = parseOutput(expected.stdout);
  const lines = expected.stdout.split('\n').filter((line) => line.split('|').length === 4);
  const literal = statNumber(out, 'Literal data');
  const matched = statNumber(out, 'Matched data');
  // Only sub/b.bin has a basis: its literal data is the run's less the new files', which are sent whole.
  const newFiles = lines.filter((line) => line.startsWith('<f+++')).reduce((n, line) => n + Number(line.split('|')[2]), 0);
  const expectedFiles = lines.map((line) => {
    const [itemize, name, size, bytes] = line.split('|') as [string, string, string, string];
    const base = { type: 'file', name, ...(name === 'caf\\#351.txt' && { nameBase64: latin1Name.toString('base64') }) };
    if (itemize.startsWith('*deleting')) return { ...base, action: 'delete', directory: false };
    if (!itemize.startsWith('<')) return { ...base, action: 'create', itemize, size: Number(size) };
    const delta = name === 'sub/b.bin' ? { literal: literal - newFiles, matched } : { literal: Number(size), matched: 0 };
    return { ...base, action: 'transfer', itemize, size: Number(size), bytes: Number(bytes), ...delta };
  });

  // Times, and the traffic (whose count is relaysync's own), vary from run to run.
  const variable = new Set(['time', 'elapsed', 'fileListGenerationTime', 'fileListTransferTime', 'totalBytesSent', 'totalBytesReceived']);
  const normalized = JSON.parse(JSON.stringify(events.filter((e) => e.type !== 'progress')), (key, value: unknown) => (variable.has(key) ? typeof value : value)) as Record<string, unknown>[];
  const byName = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.name).localeCompare(String(b.name));
  assert.deepEqual(normalized[0], {
    type: 'start',
    time: 'string',
    relaysync: '0.1.0',
    source: { operands: [`host-a:${source}/`], host: 'host-a', protocol: 32 },
    dest: { operand: `host-b:${dest}/`, host: 'host-b', protocol: 32 },
    protocol: 32,
    checksum: 'xxh128',
    compression: null,
    incremental: true,
    dryRun: false,
  });
  // A deletion and the source's answers reach relaysync by different ways: their order is not the same every time.
  assert.deepEqual(normalized.slice(1, -1).sort(byName), expectedFiles.sort(byName));
  const counts = (total: number, regular: number, dirs: number, symlinks: number) => ({ total, regular, dirs, symlinks, devices: 0, specials: 0 });
  assert.deepEqual(normalized.at(-1), {
    type: 'summary',
    exitCode: 0,
    exitMeaning: 'success',
    elapsed: 'number',
    stats: {
      files: counts(statNumber(out, 'Number of files'), 4, 2, 1),
      createdFiles: counts(statNumber(out, 'Number of created files'), 3, 0, 1),
      deletedFiles: counts(statNumber(out, 'Number of deleted files'), 1, 0, 0),
      regularFilesTransferred: statNumber(out, 'Number of regular files transferred'),
      totalFileSize: statNumber(out, 'Total file size'),
      totalTransferredFileSize: statNumber(out, 'Total transferred file size'),
      literalData: literal,
      matchedData: matched,
      fileListSize: statNumber(out, 'File list size'),
      fileListGenerationTime: 'number',
      fileListTransferTime: 'number',
      totalBytesSent: 'number',
      totalBytesReceived: 'number',
    },
  });
});

test('--json progress: while files move, counts that only grow', async () => {
  const dest = path.join(session.lab.b.dataDir, `modes-${runs++}`);
  // 300 KB at 100 KB/s: the run lasts seconds, so progress is reported.
  const result = await relay(['-a', '--json', '--bwlimit=100'], dest);
  assert.equal(result.code, 0, transcript(result));
  const progress = parseEvents(result.stdout).filter((e) => e.type === 'progress') as { files: { sent: number; checked: number }; bytes: { done: number } }[];
  assert.ok(progress.length > 0, result.stdout);
  for (const event of progress) assert.deepEqual(eventSchemaErrors(event), [], JSON.stringify(event));
  for (let i = 1; i < progress.length; i++) {
    const [before, now] = [progress[i - 1]!, progress[i]!];
    assert.ok(now.bytes.done >= before.bytes.done && now.files.sent >= before.files.sent && now.files.checked >= before.files.checked, JSON.stringify([before, now]));
  }
});

test('--json when a side fails: its error, tagged with the side, and the exit code', async () => {
  const dest = path.join(session.lab.b.dataDir, `modes-${runs++}`);
  const result = await session.relaysync(['-a', '--json', `host-a:${source}-missing/`, `host-b:${dest}/`]);
  assert.equal(result.code, 23, transcript(result));
  const events = parseEvents(result.stdout).filter((e) => e.type !== 'progress');
  for (const event of events) assert.deepEqual(eventSchemaErrors(event), [], JSON.stringify(event));
  assert.deepEqual(
    events.map((e) => [e.type, e.side, e.host]),
    [
      ['start', undefined, undefined],
      ['error', 'source', 'host-a'],
      ['summary', undefined, undefined],
    ],
  );
  assert.match(String(events[1]!.message), /change_dir ".*-missing" failed: No such file or directory/);
  assert.equal(events[2]!.exitCode, 23);
});

/** The log's lines, parsed. */
async function logLines(file: string): Promise<Record<string, unknown>[]> {
  return (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('--log-json: how each host was reached, the server commands, the handshake, each file, the summary', async (t) => {
  const { dest } = await destinations();
  const log = path.join(session.local, 'relay.log.jsonl');
  t.after(() => rm(log, { force: true }));
  const result = await relay(['-a', '--delete', `--log-json=${log}`], dest);
  assert.equal(result.code, 0, transcript(result));
  assert.equal(result.stdout, '');
  const lines = await logLines(log);
  const steps = (host: string) => lines.filter((l) => l.host === host && !['server command', 'file'].includes(String(l.msg))).map((l) => l.msg);
  for (const host of ['host-a', 'host-b']) {
    // "none" first, to learn what the server accepts, then the key it accepts.
    assert.deepEqual(steps(host), ['connecting', 'connected', 'host key', 'authentication', 'authentication', 'authenticated'], `${host}:\n${JSON.stringify(lines, null, 1)}`);
    const hostKey = lines.find((l) => l.host === host && l.msg === 'host key')!;
    assert.equal(hostKey.accepted, true);
    assert.match(String(hostKey.fingerprint), /^SHA256:/);
    const authenticated = lines.find((l) => l.host === host && l.msg === 'authenticated')!;
    assert.match(String(authenticated.method), /^publickey \S+id_ed25519$/);
  }
  const commands = lines.filter((l) => l.msg === 'server command');
  assert.deepEqual(
    commands.map((c) => [c.side, c.host, (c.args as string[]).slice(0, 2), (c.args as string[]).at(-1)]),
    [
      ['source', 'host-a', ['--server', '--sender'], `${source}/`],
      ['dest', 'host-b', ['--server', (commands[1]!.args as string[])[1]], `${dest}/`],
    ],
  );
  assert.match(String(commands[0]!.shellCommand), /^rsync --server --sender -\S+ --checksum-seed=\d+ \. \S+modes-source\/$/);
  const handshake = lines.find((l) => l.msg === 'handshake')!;
  assert.equal(handshake.protocol, 32);
  assert.equal(handshake.checksum, 'xxh128');
  assert.ok((handshake.compatFlags as string[]).includes('INC_RECURSE'), JSON.stringify(handshake));
  assert.deepEqual(
    lines
      .filter((l) => l.msg === 'file')
      .map((l) => `${l.action} ${l.name}`)
      .sort(),
    ['create link', 'delete old.txt', 'transfer a.txt', 'transfer caf\\#351.txt', 'transfer secret.txt', 'transfer sub/b.bin'],
  );
  const summary = lines.at(-1)!;
  assert.deepEqual([summary.msg, summary.exitCode, summary.transferredFiles], ['summary', 0, 4]);
  assert.ok(!lines.some((l) => l.msg === 'frame'), 'frames at the default level');
});

test('--log-json-level=trace: every frame with its side, direction, type and length, and never a file\'s contents', async (t) => {
  const { dest } = await destinations();
  const log = path.join(session.local, 'trace.log.jsonl');
  t.after(() => rm(log, { force: true }));
  const result = await relay(['-a', `--log-json=${log}`, '--log-json-level=trace'], dest);
  assert.equal(result.code, 0, transcript(result));
  const text = await readFile(log, 'utf8');
  assert.ok(!text.includes(CONTENT_MARK), 'the log shows a file\'s contents');
  const frames = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((l) => l.msg === 'frame');
  for (const f of frames) assert.deepEqual(Object.keys(f).sort(), ['direction', 'hostname', 'length', 'level', 'msg', 'pid', 'side', 'tag', 'time', 'type']);
  const seen = new Set(frames.map((f) => `${f.side} ${f.direction} ${f.type}`));
  for (const kind of ['source in MSG_DATA', 'source out MSG_DATA', 'dest in MSG_DATA', 'dest out MSG_DATA']) assert.ok(seen.has(kind), `no ${kind} frame: ${[...seen].join(', ')}`);
  // The data the source sent came in frames: at least the files' new bytes.
  const fromSource = frames.filter((f) => f.side === 'source' && f.direction === 'in' && f.type === 'MSG_DATA').reduce((n, f) => n + Number(f.length), 0);
  assert.ok(fromSource > 100_000, `only ${fromSource} bytes of data frames from the source`);
});

test('--log-json records a side\'s error, tagged with the side, and the exit code', async (t) => {
  const log = path.join(session.local, 'error.log.jsonl');
  t.after(() => rm(log, { force: true }));
  const result = await session.relaysync(['-a', `--log-json=${log}`, `host-a:${source}-missing/`, `host-b:${path.join(session.lab.b.dataDir, 'never')}/`]);
  assert.equal(result.code, 23, transcript(result));
  const lines = await logLines(log);
  const error = lines.find((l) => l.level === 'error')!;
  assert.deepEqual([error.side, error.host], ['source', 'host-a']);
  assert.match(String(error.msg), /change_dir ".*-missing" failed/);
  assert.deepEqual([lines.at(-1)!.msg, lines.at(-1)!.exitCode], ['summary', 23]);
});
