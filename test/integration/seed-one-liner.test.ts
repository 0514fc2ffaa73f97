// The one-liner from shared/seeds/000_9e06e36a24404536.txt, which does not
// work: two rsync servers piped into each other both wait for a client and
// read each other's compat flags as a string length. The same two command
// lines, byte for byte, work when the broker plays the client to each.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runRelay } from '../../src/broker/run-relay.js';
import type { Settlement } from '../../src/broker/handshake.js';
import { fanOut } from '../../src/broker/fan-out.js';
import { RunStats } from '../../src/broker/run-stats.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { offeredProtocol } from '../../src/plan/protocol-offer.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { ServerCommand, Side } from '../../src/transport/server-process.js';
import { PlainOutput } from '../../src/ui/plain-output.js';
import { runRsync } from '../harness/run.js';
import { scratchDir } from '../harness/relay-fixtures.js';
import { assertSameTree } from '../harness/snapshot.js';
import { buildTree, dir, file, MiB, symlink } from '../harness/tree.js';

/** The seed's two server command lines (its `rsync -aLv`), with this test's paths. */
const senderOptions = ['--server', '--sender', '-vlLogDtpre.iLsfxCIvu'];
const receiverOptions = ['--server', '-vlogDtpre.iLsfxCIvu'];
const SRC = 'SRC/.';
const DST = 'DST/.';

async function seedTrees(t: Parameters<typeof scratchDir>[0]): Promise<string> {
  const work = await scratchDir(t, 'seed');
  await buildTree(path.join(work, 'SRC'), [
    file('haproxy.debian.net/dists/buster/Contents-amd64.bz2', { size: 2 * MiB + 3 }),
    file('haproxy.debian.net/dists/buster/Release', { content: 'Origin: haproxy\n', mode: 0o644 }),
    file('media.bernat.ch/videos/progressive.mp4', { size: 300_000 }),
    file('empty'),
    // -L: the sender sends what a symlink points to, as a regular file.
    symlink('latest', 'haproxy.debian.net/dists/buster/Release'),
    dir('empty-dir', { mode: 0o750 }),
  ]);
  await mkdir(path.join(work, 'DST'));
  return work;
}

test('the seed one-liner: two rsync servers piped into each other fail with "over-long vstring"', async (t) => {
  const work = await seedTrees(t);
  const sender = spawn('rsync', [...senderOptions, '.', SRC], { cwd: work, stdio: 'pipe' });
  const receiver = spawn('rsync', [...receiverOptions, '.', DST], { cwd: work, stdio: 'pipe' });
  // What socat's two exec: addresses do: each one's output is the other's input.
  sender.stdout.pipe(receiver.stdin);
  receiver.stdout.pipe(sender.stdin);
  for (const stream of [sender.stdin, receiver.stdin]) stream.on('error', () => {});
  const stderr = { sender: '', receiver: '' };
  sender.stderr.on('data', (chunk: Buffer) => (stderr.sender += chunk.toString()));
  receiver.stderr.on('data', (chunk: Buffer) => (stderr.receiver += chunk.toString()));
  const killer = setTimeout(() => {
    sender.kill('SIGKILL');
    receiver.kill('SIGKILL');
  }, 60_000);
  const [[senderCode], [receiverCode]] = await Promise.all([once(sender, 'close'), once(receiver, 'close')]);
  clearTimeout(killer);

  const both = `sender (exit ${senderCode}):\n${stderr.sender}\nreceiver (exit ${receiverCode}):\n${stderr.receiver}`;
  // Each reads the other's compat flags (varint 0x1FF) as the length of its checksum list.
  assert.match(stderr.sender, /over-long vstring received \(511 > 255\)/, both);
  assert.match(stderr.receiver, /over-long vstring received \(511 > 255\)/, both);
  assert.notEqual(senderCode, 0, both);
  assert.notEqual(receiverCode, 0, both);
  assert.match(stderr.sender + stderr.receiver, /requested action not supported \(code 4\)/, both);
});

/** relaysync's plain output, remembering what the handshake settled. */
class RecordingOutput extends PlainOutput {
  agreed: Settlement | undefined;
  override settled(settlement: Settlement): void {
    this.agreed = settlement;
    super.settled(settlement);
  }
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

test('the same two command lines through the broker: the transfer completes, with a warning about the seeds', async (t) => {
  const work = await seedTrees(t);
  // The broker's options are the seed's `rsync -aLv`; only the command lines below reach the servers.
  const { options } = parseCommandLine(['-aLv', SRC, DST]);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const [printed, warned] = [collect(stdout), collect(stderr)];
  const stats = new RunStats();
  const output = new RecordingOutput({ options, sources: [SRC], labels: { source: 'web04', dest: 'web05' }, stdout, stderr, stats, startedAt: Date.now() });

  // Local servers start in the test's working directory, where the seed's relative paths must resolve.
  const cwd = process.cwd();
  process.chdir(work);
  t.after(() => process.chdir(cwd));
  const transports = { source: new LocalTransport(), dest: new LocalTransport() };
  t.after(() => Promise.all([transports.source.close(), transports.dest.close()]));
  const commands: ServerCommand[] = [];
  const command = (side: Side): ServerCommand => {
    const built: ServerCommand = {
      program: 'rsync',
      options: side === 'source' ? senderOptions : receiverOptions,
      paths: [side === 'source' ? SRC : DST],
      side,
      relativePaths: false,
    };
    commands.push(built);
    return built;
  };
  const outcome = await runRelay(
    { transports, command, letters: 'iLsfxCIvu', offer: offeredProtocol(options), seed: 12345, options },
    fanOut(stats, output),
    new AbortController().signal,
  );
  process.chdir(cwd);
  const transcript = `stdout:\n${printed()}\nstderr:\n${warned()}`;

  // Exactly the seed's command lines ran, one server each.
  assert.deepEqual(
    commands.map((c) => [c.program, ...c.options, '.', ...c.paths].join(' ')),
    ['rsync --server --sender -vlLogDtpre.iLsfxCIvu . SRC/.', 'rsync --server -vlogDtpre.iLsfxCIvu . DST/.'],
  );
  assert.equal(outcome.exitCode, 0, transcript);
  assert.deepEqual(outcome.exits, { source: { code: 0, signal: null }, dest: { code: 0, signal: null } }, transcript);

  // Neither command line carries --checksum-seed, so each server picked its own seed.
  const settlement = output.agreed;
  assert.ok(settlement, 'the handshake never settled');
  assert.equal(settlement.protocol, 32);
  assert.notEqual(settlement.seeds.source, settlement.seeds.dest);
  assert.match(warned(), /warning: the two servers use different checksum seeds/, transcript);

  // The copy is what plain rsync -aL makes of the same source.
  const oracle = path.join(work, 'oracle');
  const rsync = await runRsync(['-aL', `${path.join(work, 'SRC')}/`, `${oracle}/`]);
  assert.equal(rsync.code, 0, rsync.stderr);
  await assertSameTree(oracle, path.join(work, 'DST'));
  assert.match(printed(), /^sending incremental file list$/m, transcript);
  assert.match(printed(), /^media\.bernat\.ch\/videos\/progressive\.mp4$/m, transcript);
  assert.match(printed(), /^latest$/m, transcript);
});
