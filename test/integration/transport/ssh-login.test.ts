// Logging in with relaysync's own SSH client against a real sshd on
// loopback: every key type ssh2 reads, passphrases asked exactly when ssh
// asks them, the algorithm lists ssh_config allows, and ProxyCommand.
// Answers come from a script in place of the terminal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { TransportPool } from '../../../src/transport/pool.js';
import type { Transport } from '../../../src/transport/server-process.js';
import type { Prompter } from '../../../src/transport/terminal.js';
import { TransportError } from '../../../src/transport/transport-error.js';
import { startSshd, type Sshd } from './sshd-fixture.js';

let sshd: Sshd;
before(async () => {
  sshd = await startSshd();
  writeFileSync(join(sshd.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKeys.ed25519.line}\n`);
});
after(() => sshd.stop());

/** A script of answers; every question asked is kept. */
function answering(...answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: async (prompt) => {
      asked.push(prompt);
      return answers.shift() ?? null;
    },
    lend: () => {},
  };
}

/** Opens `testhost` with these ssh_config lines, and proves the login by running a command. */
async function login(lines: readonly string[], terminal: Prompter | null = null, detail: string[] = []): Promise<void> {
  const config = ['Host testhost', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', ...lines.map((l) => `  ${l}`)];
  writeFileSync(join(sshd.home, '.ssh', 'config'), `${config.join('\n')}\n`, { mode: 0o600 });
  const pool = new TransportPool({ home: sshd.home, env: {}, systemConfig: null, terminal, note: () => {}, detail: (m) => detail.push(m) });
  const host: Transport = await pool.open({ kind: 'ssh', host: 'testhost' });
  try {
    const server = await host.start({ program: 'echo', options: ['in'], paths: [], side: 'dest', relativePaths: false });
    server.input.end();
    assert.equal(await text(server.output), 'in .\n');
  } finally {
    await host.close();
  }
}

async function refusal(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TransportError, String(err));
    return err;
  }
  assert.fail('the login should have failed');
}

function authorize(publicKeyFile: string): void {
  appendFileSync(join(sshd.dir, 'authorized_keys'), readFileSync(publicKeyFile, 'utf8'));
}

describe('key files', () => {
  for (const type of ['rsa', 'ecdsa', 'ed25519']) {
    it(`logs in with an ${type} key`, async () => {
      await login([`IdentityFile ${sshd.makeKey(`plain-${type}`, { type, authorize: true })}`, 'IdentitiesOnly yes']);
    });
  }

  it("asks for an encrypted key's passphrase only when the server accepts the key (it reads the public half from the file)", async () => {
    const stranger = sshd.makeKey('encrypted-stranger', { passphrase: 'unused' });
    rmSync(`${stranger}.pub`);
    const plain = sshd.makeKey('plain-after-stranger', { authorize: true });
    const terminal = answering();
    await login([`IdentityFile ${stranger}`, `IdentityFile ${plain}`, 'IdentitiesOnly yes'], terminal);
    assert.deepEqual(terminal.asked, []);
  });

  it('asks again after a wrong passphrase, naming the host and the key', async () => {
    const key = sshd.makeKey('encrypted-accepted', { passphrase: 'right one', authorize: true });
    const terminal = answering('wrong one', 'right one');
    await login([`IdentityFile ${key}`, 'IdentitiesOnly yes'], terminal);
    assert.deepEqual(terminal.asked, [`testhost: Enter passphrase for key '${key}': `, `testhost: Bad passphrase, try again for ${key}: `]);
  });

  it('asks up front for a PEM key whose public half it cannot know without the passphrase', async () => {
    const key = join(sshd.dir, 'encrypted-pem');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-m', 'PEM', '-N', 'pem secret', '-f', key]);
    authorize(`${key}.pub`);
    rmSync(`${key}.pub`);
    const terminal = answering('pem secret');
    await login([`IdentityFile ${key}`, 'IdentitiesOnly yes'], terminal);
    assert.equal(terminal.asked.length, 1);
  });

  it('gives up on a key at an empty passphrase and says what it tried', async () => {
    const key = sshd.makeKey('encrypted-given-up', { passphrase: 'never typed', authorize: true });
    const err = await refusal(login([`IdentityFile ${key}`, 'IdentitiesOnly yes'], answering('')));
    assert.equal(err.reason, 'auth');
    assert.ok(err.message.includes(`Tried: ${key}.`), err.message);
  });
});

describe('algorithms from ssh_config', () => {
  const key = () => sshd.makeKey('algorithms-key', { authorize: true });
  let identity: string[];
  before(() => {
    identity = [`IdentityFile ${key()}`, 'IdentitiesOnly yes'];
  });

  it('logs in with the lists given, and with compression', async () => {
    await login([...identity, 'Ciphers aes128-ctr', 'MACs hmac-sha2-256', 'KexAlgorithms curve25519-sha256', 'HostKeyAlgorithms ssh-ed25519', 'Compression yes']);
  });

  it('offers nothing outside the lists: a cipher sshd does not accept fails the handshake', async () => {
    const err = await refusal(login([...identity, 'Ciphers 3des-cbc']));
    assert.equal(err.reason, 'handshake');
    assert.match(err.message, /^testhost: 127\.0\.0\.1 port \d+: SSH handshake failed: /);
  });

  it('says under -v which configured algorithms it cannot use, and refuses a list with none it can', async () => {
    const detail: string[] = [];
    await login([...identity, 'MACs umac-64@openssh.com,hmac-sha2-256'], null, detail);
    assert.deepEqual(detail, ["testhost: MACs: relaysync's SSH client cannot use umac-64@openssh.com; it offers hmac-sha2-256"]);
    const err = await refusal(login([...identity, 'KexAlgorithms sntrup761x25519-sha512@openssh.com']));
    assert.equal(err.reason, 'config');
    assert.match(err.message, /none of the KexAlgorithms it is configured with \(sntrup761x25519-sha512@openssh\.com\) is one relaysync's SSH client implements/);
  });
});

describe('ProxyCommand', () => {
  it('logs in through the command, run by the shell with its tokens expanded', async () => {
    const relay = join(sshd.dir, 'tcp-relay.mjs');
    writeFileSync(
      relay,
      "import { connect } from 'node:net';\nconst s = connect(Number(process.argv[3]), process.argv[2]);\nprocess.stdin.pipe(s).pipe(process.stdout);\n",
    );
    await login([`ProxyCommand ${process.execPath} ${relay} %h %p`, `IdentityFile ${sshd.makeKey('proxy-key', { authorize: true })}`]);
  });

  it('says how the command ended when it fails before the login', async () => {
    const err = await refusal(login(["ProxyCommand sh -c 'echo no route >&2; exit 3'"]));
    assert.equal(err.reason, 'handshake');
    assert.equal(err.message, "testhost: the ProxyCommand exited with status 3 before the SSH login was done: sh -c 'echo no route >&2; exit 3'");
  });
});
