// What a user reads on stdout, compared with what plain rsync prints for the
// same transfer: the -v list, the --stats block, the closing summary, and how
// names that are not printable text are shown.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { runLocalRelay, runOracle, transcript, type TransferRequest } from '../harness/oracle.js';
import { scratchDir } from '../harness/relay-fixtures.js';
import { relaysyncBin, type RunResult } from '../harness/run.js';
import { assertSameTree } from '../harness/snapshot.js';
import {
  deterministicStats,
  incrementalHeader,
  parseOutput,
  statNumber,
  statsLines,
} from '../harness/transfer-output.js';
import { buildTree, file, MiB, symlink } from '../harness/tree.js';
import { rsyncBinary } from '../lab/rsync-binaries.js';

/** Runs the same transfer with plain rsync and with relaysync, each into its own new destination under `work`. */
async function bothRuns(work: string, source: string, options: readonly string[]): Promise<{ relay: RunResult; oracle: RunResult }> {
  const request = (dest: string): TransferRequest => ({
    options,
    sources: [`${source}/`],
    dest: `${dest}/`,
    sourceVersion: '3.5.0',
    destVersion: '3.5.0',
  });
  const oracle = await runOracle(request(path.join(work, 'by-rsync')));
  const relay = await runLocalRelay(request(path.join(work, 'by-relaysync')));
  assert.equal(oracle.code, 0, transcript(oracle));
  assert.equal(relay.code, 0, transcript(relay));
  return { relay, oracle };
}

async function sourceTree(t: TestContext, entries: Parameters<typeof buildTree>[1]): Promise<{ work: string; source: string }> {
  const work = await scratchDir(t, 'output');
  const source = path.join(work, 'source');
  await buildTree(source, entries);
  return { work, source };
}

test('-v and --stats: the file list, the statistics block and the summary, with rsync\'s numbers', async (t) => {
  const { work, source } = await sourceTree(t, [
    file('docs/readme.txt', { content: 'read me\n' }),
    file('data/blob.bin', { size: 200_000 }),
    file('empty'),
    symlink('latest', 'docs/readme.txt'),
  ]);
  const { relay, oracle } = await bothRuns(work, source, ['-av', '--stats']);
  const out = parseOutput(relay.stdout);
  const expected = parseOutput(oracle.stdout);

  assert.equal(out.header, incrementalHeader, relay.stdout);
  assert.deepEqual([...out.items].sort(), ['./', 'data/', 'data/blob.bin', 'docs/', 'docs/readme.txt', 'empty', 'latest -> docs/readme.txt']);
  for (const label of statsLines) assert.ok(out.stats.has(label), `no "${label}:" line:\n${relay.stdout}`);
  for (const label of deterministicStats) {
    assert.equal(out.stats.get(label), expected.stats.get(label), `"${label}" differs:\n${relay.stdout}\nrsync:\n${oracle.stdout}`);
  }
  assert.equal(out.stats.get('Number of files'), '7 (reg: 3, dir: 3, link: 1)');
  assert.equal(out.stats.get('Number of regular files transferred'), '3');
  // rsync counts a symlink's target length in the total size: 8 + 200,000 + 0 + 15.
  assert.equal(out.stats.get('Total file size'), '200,023 bytes');
  // The summary agrees with the statistics block, as rsync's does.
  assert.equal(out.sent, statNumber(out, 'Total bytes sent'), relay.stdout);
  assert.equal(out.received, statNumber(out, 'Total bytes received'), relay.stdout);
  assert.equal(out.totalSize, 200_023, relay.stdout);
  assert.match(relay.stdout, /^sent [\d,]+ bytes {2}received [\d,]+ bytes {2}[\d,.]+ bytes\/sec$/m);
  assert.match(relay.stdout, /^total size is 200,023 {2}speedup is [\d,.]+$/m);
});

test('-z: --stats counts literal data before compression, as rsync does', async (t) => {
  // Compressible text and incompressible bytes: compressed, the first shrinks and the second grows a little.
  const { work, source } = await sourceTree(t, [
    file('text.txt', { content: 'relaysync '.repeat(100_000) }),
    file('random.bin', { size: MiB }),
  ]);
  const { relay, oracle } = await bothRuns(work, source, ['-az', '--stats']);
  const [out, expected] = [parseOutput(relay.stdout), parseOutput(oracle.stdout)];
  // Every byte of a first copy is literal data: 1,000,000 + 1,048,576.
  assert.equal(statNumber(expected, 'Literal data'), 2_048_576, oracle.stdout);
  assert.equal(
    out.stats.get('Literal data'),
    expected.stats.get('Literal data'),
    `relaysync reports a different "Literal data" than rsync:\n${relay.stdout}`,
  );
  await assertSameTree(path.join(work, 'by-rsync'), path.join(work, 'by-relaysync'));
});

test('protocol 28, --delete -v: deleted names are shown escaped, as rsync shows them', async (t) => {
  const { work, source } = await sourceTree(t, [file('kept.txt', { content: 'kept' })]);
  const extras = [
    file('two\nlines', { content: 'x' }),
    file(Buffer.from('caf\xe9', 'latin1'), { content: 'x' }),
  ];
  for (const dest of ['by-rsync', 'by-relaysync']) await buildTree(path.join(work, dest), extras);
  const { relay, oracle } = await bothRuns(work, source, ['-av', '--delete', '--protocol=28']);
  const [out, expected] = [parseOutput(relay.stdout), parseOutput(oracle.stdout)];
  const deleting = (lines: readonly string[]) => lines.filter((line) => line.startsWith('deleting ')).sort();
  assert.deepEqual(deleting(expected.items), ['deleting caf\\#351', 'deleting two\\#012lines'], oracle.stdout);
  // A raw newline would split a name over two lines; raw bytes reach the terminal unfiltered.
  assert.deepEqual(deleting(out.items), deleting(expected.items), `relaysync shows deletions differently:\n${relay.stdout}`);
  await assertSameTree(path.join(work, 'by-rsync'), path.join(work, 'by-relaysync'));
});

/**
 * Runs a transfer with stdout closed after its first chunk, as `| head -1`
 * does; returns the exit code and stderr.
 */
async function withStdoutClosedEarly(command: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}

test('stdout closed early (relaysync ... | head -1): the transfer completes, as with rsync', async (t) => {
  const { work, source } = await sourceTree(t, Array.from({ length: 3000 }, (_, i) => file(`many/file-${i}`, { content: `${i}\n` })));
  const byRsync = path.join(work, 'by-rsync');
  const byRelaysync = path.join(work, 'by-relaysync');
  const oracle = await withStdoutClosedEarly(rsyncBinary('3.5.0'), ['-av', `${source}/`, `${byRsync}/`]);
  assert.equal(oracle.code, 0, `rsync: ${oracle.stderr}`);
  await assertSameTree(source, byRsync);

  const relay = await withStdoutClosedEarly(relaysyncBin, ['-av', `${source}/`, `${byRelaysync}/`]);
  assert.equal(relay.code, oracle.code, `relaysync exited with ${relay.code}, rsync with ${oracle.code}; relaysync's stderr:\n${relay.stderr}`);
  await assertSameTree(source, byRelaysync);
});
