// The lab that relaysync's end-to-end tests run in: two sshd hosts that
// OpenSSH and plain rsync can use from here, that cannot reach each other,
// and that leave nothing behind.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertSameTree } from '../harness/snapshot.js';
import { run, runRsync } from '../harness/run.js';
import { buildTree, dir, file, hardlink, symlink } from '../harness/tree.js';
import { rrsync, startLab, type Lab } from '../lab/lab.js';
import { isRunning, pidFromFile } from '../lab/processes.js';

let lab: Lab;
let local: string;

before(async () => {
  local = await mkdtemp(path.join(os.tmpdir(), 'relaysync-lab-test-'));
  lab = await startLab();
});

after(async () => {
  await lab?.stop();
  await rm(local, { recursive: true, force: true });
});

test('OpenSSH runs a command on each host through the lab config', async () => {
  for (const host of [lab.a, lab.b]) {
    const result = await run('ssh', [...lab.sshArgs, host.alias, 'true'], { env: lab.env });
    assert.equal(result.code, 0, `ssh ${host.alias} true failed:\n${result.stderr}`);
  }
});

test('the hosts cannot reach each other', async (t) => {
  if (!lab.isolated) {
    t.skip('loopback fallback: the hosts can reach each other (see the warning above)');
    return;
  }
  // Each host reaching its own sshd shows that a false below means no route, not a broken probe.
  assert.equal(await lab.canReach(lab.a, lab.a), true);
  assert.equal(await lab.canReach(lab.b, lab.b), true);
  assert.equal(await lab.canReach(lab.a, lab.b), false);
  assert.equal(await lab.canReach(lab.b, lab.a), false);
});

test('plain rsync copies a tree from here to host-a and leaves no rsync running there', async () => {
  const source = path.join(local, 'source');
  await buildTree(source, [
    file('plain.txt', { content: 'hello\n', mode: 0o640 }),
    file('sub dir/random.bin', { size: 100_000 }),
    file('-leading-dash'),
    file('new\nline'),
    file(Buffer.from([0x6e, 0x6f, 0x74, 0xff, 0x75, 0x74, 0x66, 0x38])),
    symlink('link', 'plain.txt'),
    symlink('dangling', 'nowhere'),
    hardlink('sub dir/hard', 'plain.txt'),
    dir('empty', { mode: 0o700 }),
  ]);
  const destination = path.join(lab.a.dataDir, 'copy');
  const result = await runRsync(['-aH', '-e', lab.rsh, `${source}/`, `${lab.a.alias}:${destination}/`], {
    env: lab.env,
  });
  assert.equal(result.code, 0, result.stderr);
  await assertSameTree(source, destination);
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
});

test('an rsync server counts as running on its host until its client goes away', async () => {
  // A server waits for its client's half of the protocol, so it stays up while stdin is open.
  const client = spawn('ssh', [...lab.sshArgs, lab.a.alias, 'rsync', '--server', '--sender', '.', '/'], {
    env: lab.env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  try {
    const deadline = Date.now() + 30_000;
    while (lab.rsyncProcesses(lab.a).length === 0) {
      assert.ok(Date.now() < deadline, 'the rsync server never showed up on host-a');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(lab.rsyncProcesses(lab.b), []);
  } finally {
    client.stdin.end();
    await once(client, 'close');
  }
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
});

test('restricted aliases reach a host only through rrsync', async () => {
  const readable = path.join(lab.a.dataDir, 'readable');
  const writable = path.join(lab.a.dataDir, 'writable');
  await buildTree(readable, [file('served.txt', { content: 'served\n' })]);
  await buildTree(writable, []);
  await lab.addRestrictedAlias(lab.a, 'host-a-ro', rrsync('ro', readable));
  await lab.addRestrictedAlias(lab.a, 'host-a-wo', rrsync('wo', writable));
  const rsync = (...args: string[]) => runRsync(['-a', '-e', lab.rsh, ...args], { env: lab.env });

  const pulled = path.join(local, 'pulled');
  const pull = await rsync('host-a-ro:/', `${pulled}/`);
  assert.equal(pull.code, 0, pull.stderr);
  await assertSameTree(readable, pulled);
  assert.notEqual((await rsync(`${pulled}/`, 'host-a-ro:/')).code, 0, 'the read-only alias accepted a write');

  const push = await rsync(`${pulled}/`, 'host-a-wo:/');
  assert.equal(push.code, 0, push.stderr);
  await assertSameTree(readable, writable);
  const refused = await rsync('host-a-wo:/', path.join(local, 'refused'));
  assert.notEqual(refused.code, 0, 'the write-only alias allowed a read');

  // Only the forced command runs, whatever the client asks for.
  const shell = await run('ssh', [...lab.sshArgs, 'host-a-ro', 'touch', path.join(lab.a.dataDir, 'escaped')], {
    env: lab.env,
  });
  assert.notEqual(shell.code, 0);
  assert.equal(existsSync(path.join(lab.a.dataDir, 'escaped')), false);
});

test('stop() leaves no namespace, sshd or file behind', async () => {
  const sshdPids = [lab.a, lab.b].map((host) => pidFromFile(path.join(host.sshdDir, 'sshd.pid')));
  await lab.stop();
  for (const pid of sshdPids) {
    assert.ok(pid !== undefined);
    assert.equal(isRunning(pid), false, `sshd ${pid} is still running`);
  }
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const host of [lab.a, lab.b]) {
    if (host.namespace !== undefined) assert.equal(namespaces.includes(host.namespace), false, namespaces);
    assert.equal(existsSync(host.sshdDir), false);
  }
  assert.equal(existsSync(lab.home), false);
});
