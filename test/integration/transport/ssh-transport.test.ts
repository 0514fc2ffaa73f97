// The SSH transport against a real sshd on loopback: commands and streams,
// backpressure, stopping, host key refusals, key file and agent
// authentication, and two servers sharing one connection.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { TransportPool, type TransportPoolOptions } from '../../../src/transport/pool.js';
import type { ServerCommand, ServerProcess, Transport } from '../../../src/transport/server-process.js';
import { TransportError } from '../../../src/transport/transport-error.js';
import { startSshd, type Sshd } from './sshd-fixture.js';

/** A shell snippet as the "program": it runs as `<program> .` on the host, with `.` as its $0. */
function shell(script: string, paths: string[] = []): ServerCommand {
  return { program: `sh -c '${script}'`, options: [], paths, side: 'dest', relativePaths: false };
}

async function finish(server: ServerProcess, input = '') {
  server.input.end(input);
  const [output, errors, status] = await Promise.all([text(server.output), text(server.errors), server.exited]);
  return { output, errors, status };
}

/** A local account other than root that sshd would let in (a login shell, not locked), or null. */
function unprivilegedUser(): string | null {
  const locked = new Set(
    readFileSync('/etc/shadow', 'utf8')
      .split('\n')
      .filter((line) => /^[^:]*:(!|\*LK\*)/.test(line))
      .map((line) => line.split(':')[0]),
  );
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, , , , shell] = line.split(':');
    if (Number(uid) >= 1000 && Number(uid) < 65534 && shell && !/(nologin|false)$/.test(shell) && !locked.has(name)) return name!;
  }
  return null;
}

function fingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
}

/**
 * Writes copies `from` to `total` of `chunk` to a server running `cat`
 * (the earlier ones were written already), reads everything it echoes and
 * checks that all of it came back, in order, and that it exited with 0.
 */
async function echoedWhole(server: ServerProcess, chunk: Buffer, total: number, from = 0): Promise<void> {
  const received = createHash('sha256');
  let receivedBytes = 0;
  server.output.on('data', (data: Buffer) => {
    received.update(data);
    receivedBytes += data.length;
  });
  // A lost connection closes the channel: its output then never ends and its input never drains.
  const outputEnded = Promise.race([once(server.output, 'end'), once(server.output, 'close')]);
  const inputClosed = once(server.input, 'close');
  for (let written = from; written < total; written++) {
    if (!server.input.write(chunk)) await Promise.race([once(server.input, 'drain'), inputClosed]);
  }
  server.input.end();
  await outputEnded;
  const expected = createHash('sha256');
  for (let i = 0; i < total; i++) expected.update(chunk);
  assert.equal(receivedBytes, total * chunk.length);
  assert.equal(received.digest('hex'), expected.digest('hex'));
  assert.equal((await server.exited).code, 0);
}

let sshd: Sshd;
let knownHostsFile: string;
/** `[127.0.0.1]:port`, how known_hosts names the test server. */
let hostName: string;
const notes: string[] = [];

/** Writes the client's ~/.ssh/config: one Host block per alias, all pointing at the test sshd. */
function writeClientConfig(blocks: Record<string, string[]>): void {
  const text = Object.entries(blocks)
    .map(([alias, lines]) => [`Host ${alias}`, `  HostName 127.0.0.1`, `  Port ${sshd.port}`, `  User root`, ...lines.map((l) => `  ${l}`)].join('\n'))
    .join('\n');
  writeFileSync(join(sshd.home, '.ssh', 'config'), `${text}\n`, { mode: 0o600 });
}

function pool(extra: Partial<TransportPoolOptions> = {}): TransportPool {
  // No terminal: nothing may be asked, whatever machine the tests run on.
  return new TransportPool({ home: sshd.home, env: {}, systemConfig: null, terminal: null, note: (m) => notes.push(m), ...extra });
}

async function refusal(promise: Promise<Transport>): Promise<TransportError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TransportError, String(err));
    return err;
  }
  assert.fail('the connection should have been refused');
}

before(async () => {
  sshd = await startSshd();
  knownHostsFile = join(sshd.home, '.ssh', 'known_hosts');
  hostName = `[127.0.0.1]:${sshd.port}`;
  writeFileSync(knownHostsFile, `${hostName} ${sshd.hostKeys.ed25519.line}\n`);
  sshd.makeKey('home/.ssh/id_ed25519', { authorize: true });
  // An encrypted default key, tried before id_ed25519: with no terminal for its passphrase, the next default is used.
  sshd.makeKey('home/.ssh/id_ecdsa', { type: 'ecdsa', passphrase: 'secret', authorize: true });
  writeClientConfig({ testhost: [] });
});
after(() => sshd.stop());

describe('running commands', () => {
  let host: Transport;
  before(async () => {
    host = await pool().open({ kind: 'ssh', host: 'testhost' });
  });
  after(() => host.close());

  it('carries stdin, stdout, stderr and the exit code', async () => {
    const server = await host.start(shell('cat; echo err >&2; exit 3'));
    assert.equal(server.label, 'testhost');
    const result = await finish(server, 'through the channel');
    assert.deepEqual(result, { output: 'through the channel', errors: 'err\n', status: { code: 3, signal: null } });
  });

  it('starts a real rsync server that speaks the protocol', async () => {
    const server = await host.start({
      program: 'rsync',
      options: ['--server', '--sender', '-vlogDtpre.iLsfxCIvu'],
      paths: [`${sshd.dir}/`],
      side: 'source',
      relativePaths: false,
    });
    server.errors.resume();
    // A server's first word on the wire is its protocol version, a 32-bit little-endian integer.
    const [first] = (await once(server.output, 'data')) as [Buffer];
    const version = first.readInt32LE(0);
    assert.ok(version >= 30 && version < 100, `protocol version ${version}`);
    server.output.resume();
    server.stop();
    assert.notEqual((await server.exited).code, 0);
  });

  it('authenticates with the default key file after an encrypted one it cannot unlock without a terminal', async () => {
    assert.equal((await finish(await host.start(shell('echo logged in')))).output, 'logged in\n');
    assert.match(sshd.log(), /Accepted publickey for root .* ED25519/);
  });

  it('quotes paths for the remote shell so they arrive literally', async () => {
    const paths = ['a b', "it's", '$HOME', 'semi;colon', '-dash'];
    const server = await host.start(shell(`printf "<%s>" "$0" "$@"`, paths));
    const { output, status } = await finish(server);
    assert.equal(status.code, 0);
    assert.equal(output, ['.', 'a b', "it's", '$HOME', 'semi;colon', './-dash'].map((p) => `<${p}>`).join(''));
  });

  it('moves a large stream through cat with backpressure intact', async () => {
    const server = await host.start(shell('cat'));
    const chunk = randomBytes(1 << 20);
    const total = 64;
    let written = 0;
    // Nobody reads the output yet: writes must start returning false and 'drain' must stop coming.
    for (;;) {
      written++;
      if (server.input.write(chunk)) continue;
      const drained = await Promise.race([once(server.input, 'drain').then(() => true), delay(1000).then(() => false)]);
      if (!drained) break;
      assert.ok(written < total, 'the writer never had to wait although nothing read the output');
    }
    assert.ok(server.input.writableLength <= 4 << 20, `${server.input.writableLength} bytes queued locally`);
    await echoedWhole(server, chunk, total, written);
  });

  it('stop() asks for TERM and ends the input, which ends a root session\'s server', async () => {
    const server = await host.start(shell('cat >/dev/null; sleep 1'));
    server.output.resume();
    server.errors.resume();
    server.stop();
    assert.notDeepEqual(await server.exited, { code: null, signal: null });
    // The request arrives, but OpenSSH before 9.8 does not signal root sessions; rsync exits at end of input.
    assert.match(sshd.log(), /session_signal_req: session signalling requires privilege separation/);
  });

  it('stop() sends TERM, also after the input has ended', async (t) => {
    const user = unprivilegedUser();
    if (user === null) return t.skip('no unprivileged login user on this machine to receive the signal');
    const transports = pool();
    const asUser = await transports.open({ kind: 'ssh', host: 'testhost', user });
    for (const endInputFirst of [false, true]) {
      const server = await asUser.start(shell('echo started; sleep 600'));
      server.errors.resume();
      // sshd signals the session's process group, which exists once the command runs.
      await once(server.output, 'data');
      if (endInputFirst) server.input.end();
      server.stop();
      assert.deepEqual(await server.exited, { code: null, signal: 'SIGTERM' });
    }
    await asUser.close();
  });

  it('settles exited with code null when the connection drops', async () => {
    const transports = pool();
    const doomed = await transports.open({ kind: 'ssh', host: 'testhost' });
    // $PPID is the sshd process serving this session: killing it cuts the connection.
    const server = await doomed.start(shell('kill -9 $PPID; cat'));
    server.output.resume();
    server.errors.resume();
    assert.deepEqual(await server.exited, { code: null, signal: null });
    await doomed.close();
  });
});

// OpenSSH rekeys after about a GiB (by default, with chacha20) in each direction, so any big transfer goes through rekeys.
describe('a server that asks for a new key exchange every MiB', () => {
  let rekeying: Sshd;
  before(async () => {
    rekeying = await startSshd(['RekeyLimit 1M']);
    writeFileSync(join(rekeying.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${rekeying.port} ${rekeying.hostKeys.ed25519.line}\n`);
    rekeying.makeKey('home/.ssh/id_ed25519', { authorize: true });
    writeFileSync(join(rekeying.home, '.ssh', 'config'), `Host rekeying\n  HostName 127.0.0.1\n  Port ${rekeying.port}\n  User root\n`);
  });
  after(() => rekeying.stop());

  it('keeps the connection whole while data flows both ways', async () => {
    const transports = new TransportPool({ home: rekeying.home, env: {}, systemConfig: null, terminal: null, note: (m) => notes.push(m) });
    const host = await transports.open({ kind: 'ssh', host: 'rekeying' });
    try {
      await echoedWhole(await host.start(shell('cat')), randomBytes(1 << 20), 32);
      assert.doesNotMatch(rekeying.log(), /corrupt/i);
    } finally {
      await host.close();
    }
  });
});

describe('one connection per user@host:port', () => {
  it('runs two servers as two channels of one connection', async () => {
    writeClientConfig({ testhost: [], 'alias-of-testhost': [] });
    const transports = pool();
    const loginsBefore = sshd.acceptedLogins();
    const [a, b] = await Promise.all([
      transports.open({ kind: 'ssh', host: 'testhost' }),
      transports.open({ kind: 'ssh', host: 'alias-of-testhost' }),
    ]);
    assert.equal(b.label, 'alias-of-testhost');
    const [sa, sb] = await Promise.all([a.start(shell('cat; echo " $SSH_CONNECTION"')), b.start(shell('cat; echo " $SSH_CONNECTION"'))]);
    const [ra, rb] = await Promise.all([finish(sa, 'first'), finish(sb, 'second')]);
    const connection = (output: string) => output.split(' ').slice(1).join(' ');
    assert.match(ra.output, /^first /);
    assert.match(rb.output, /^second /);
    assert.equal(connection(ra.output), connection(rb.output));
    assert.equal(sshd.acceptedLogins() - loginsBefore, 1);

    // The connection outlives the first handle and ends with the last.
    await a.close();
    assert.equal((await finish(await b.start(shell('echo still here')))).output, 'still here\n');
    await b.close();
    await assert.rejects(b.start(shell('true')), /closed/);
  });
});

describe('host keys', () => {
  after(() => writeFileSync(knownHostsFile, `${hostName} ${sshd.hostKeys.ed25519.line}\n`));

  it('refuses an unknown host, giving the fingerprint and the line to add, before logging in', async () => {
    writeFileSync(knownHostsFile, '');
    const loginsBefore = sshd.acceptedLogins();
    const err = await refusal(pool().open({ kind: 'ssh', host: 'testhost' }));
    assert.equal(err.reason, 'host-key');
    assert.ok(err.message.includes(`ED25519 key fingerprint is ${fingerprint(sshd.hostKeys.ed25519.pubFile)}.`), err.message);
    assert.ok(err.message.includes(`add this line to ${knownHostsFile}:\n${hostName} ${sshd.hostKeys.ed25519.line}\n`), err.message);
    assert.equal(sshd.acceptedLogins(), loginsBefore);
  });

  it('refuses a changed key, naming the file and line of the entry it contradicts', async () => {
    const other = sshd.makeKey('other-host-key');
    writeFileSync(knownHostsFile, `# line 1\n${hostName} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const loginsBefore = sshd.acceptedLogins();
    const err = await refusal(pool().open({ kind: 'ssh', host: 'testhost' }));
    assert.equal(err.reason, 'host-key');
    assert.match(err.message, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
    assert.ok(err.message.includes(`Offending ED25519 key in ${knownHostsFile}:2`), err.message);
    assert.ok(err.message.includes(fingerprint(sshd.hostKeys.ed25519.pubFile)), err.message);
    assert.equal(sshd.acceptedLogins(), loginsBefore);
  });

  it('asks first for the key type known for the host, so a host known by ECDSA is not mistaken for changed', async () => {
    writeFileSync(knownHostsFile, `${hostName} ${sshd.hostKeys.ecdsa.line}\n`);
    const host = await pool().open({ kind: 'ssh', host: 'testhost' });
    await host.close();
  });

  it('records a new host under StrictHostKeyChecking accept-new, hashed when HashKnownHosts says so', async () => {
    writeFileSync(knownHostsFile, '');
    writeClientConfig({ testhost: ['StrictHostKeyChecking accept-new', 'HashKnownHosts yes'] });
    try {
      const host = await pool().open({ kind: 'ssh', host: 'testhost' });
      await host.close();
      const recorded = readFileSync(knownHostsFile, 'utf8');
      assert.match(recorded, /^\|1\|\S+ ssh-ed25519 \S+\n$/);
      assert.ok(notes.some((n) => n.includes(`permanently added '${hostName}' (ED25519)`)), notes.join('\n'));
      assert.equal(execFileSync('ssh-keygen', ['-F', hostName, '-f', knownHostsFile], { encoding: 'utf8' }).split('\n')[1], recorded.trim());
    } finally {
      writeClientConfig({ testhost: [] });
    }
  });
});

describe('authentication', () => {
  let agent: ReturnType<typeof spawn>;
  let agentSocket: string;
  let agentKey: string;
  before(async () => {
    agentSocket = join(sshd.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
    while (!existsSync(agentSocket)) await delay(20);
    agentKey = sshd.makeKey('agent-only-key', { authorize: true });
    execFileSync('ssh-add', ['-q', agentKey], { env: { SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
  });
  after(async () => {
    agent.kill('SIGTERM');
    await once(agent, 'exit');
  });

  it('uses the ssh-agent from SSH_AUTH_SOCK', async () => {
    writeClientConfig({ testhost: ['IdentityFile none'] });
    const host = await pool({ env: { SSH_AUTH_SOCK: agentSocket } }).open({ kind: 'ssh', host: 'testhost' });
    assert.equal((await finish(await host.start(shell('echo agent')))).output, 'agent\n');
    await host.close();
  });

  it('uses the agent named by IdentityAgent', async () => {
    writeClientConfig({ testhost: ['IdentityFile none', `IdentityAgent ${agentSocket}`] });
    const host = await pool().open({ kind: 'ssh', host: 'testhost' });
    await host.close();
  });

  it('under IdentitiesOnly offers only agent keys that match an IdentityFile, and says what it tried', async () => {
    const stranger = sshd.makeKey('unauthorized-key');
    writeClientConfig({ testhost: ['IdentitiesOnly yes', `IdentityFile ${stranger}`, `IdentityFile ${join(sshd.dir, 'missing-key')}`] });
    const err = await refusal(pool({ env: { SSH_AUTH_SOCK: agentSocket } }).open({ kind: 'ssh', host: 'testhost' }));
    assert.equal(err.reason, 'auth');
    assert.match(err.message, /^testhost: authentication failed for user root on 127\.0\.0\.1 port \d+\./);
    assert.ok(err.message.includes(`Tried: ${stranger}.`), err.message);
    assert.ok(err.message.includes(`ssh-agent at ${agentSocket} (no key matching an IdentityFile (IdentitiesOnly))`), err.message);
    assert.ok(err.message.includes(`${join(sshd.dir, 'missing-key')} (no such file)`), err.message);
    assert.match(err.message, /The server accepts: publickey\./);

    writeClientConfig({ testhost: ['IdentitiesOnly yes', `IdentityFile ${agentKey}.pub`] });
    const host = await pool({ env: { SSH_AUTH_SOCK: agentSocket } }).open({ kind: 'ssh', host: 'testhost' });
    await host.close();
    writeClientConfig({ testhost: [] });
  });
});

describe('connection errors name the host and say what happened', () => {
  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    writeClientConfig({ nobody: [] });
    const err = await refusal(pool().open({ kind: 'ssh', host: 'nobody', port }));
    assert.equal(err.reason, 'refused');
    assert.equal(err.message, `nobody: 127.0.0.1 port ${port}: connection refused: nothing listens there (is sshd running, and is that the right port?)`);
  });

  it('a name that does not resolve', async () => {
    writeFileSync(join(sshd.home, '.ssh', 'config'), 'Host ghost\n  HostName ghost\n  CanonicalizeHostname yes\n');
    const err = await refusal(pool().open({ kind: 'ssh', host: 'ghost' }));
    assert.equal(err.reason, 'dns');
    assert.match(err.message, /^ghost: cannot resolve host name "ghost"/);
    // Settings relaysync ignored are mentioned: here one explains the failure.
    assert.match(err.message, /does not act on these ssh_config settings: CanonicalizeHostname yes \(.*config line 3: relaysync does not canonicalize host names; use -e ssh/);
  });

  it('ConnectTimeout when the server never speaks SSH', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    writeClientConfig({ silent: ['ConnectTimeout 1'] });
    try {
      const err = await refusal(pool().open({ kind: 'ssh', host: 'silent', port }));
      assert.equal(err.reason, 'timeout');
      assert.equal(err.message, `silent: 127.0.0.1 port ${port}: no SSH handshake within 1 s (ConnectTimeout)`);
    } finally {
      silent.close();
      writeClientConfig({ testhost: [] });
    }
  });

  it('a configuration error names file and line', async () => {
    writeFileSync(join(sshd.home, '.ssh', 'config'), 'Host *\n  Port many\n');
    const err = await refusal(pool().open({ kind: 'ssh', host: 'testhost' }));
    assert.equal(err.reason, 'config');
    assert.equal(err.message, `testhost: ${join(sshd.home, '.ssh', 'config')} line 2: bad port "many": give a number from 1 to 65535`);
    writeClientConfig({ testhost: [] });
  });
});
