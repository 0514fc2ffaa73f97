// The host key decisions of OpenSSH's check_host_key(), one case at a
// time, with real keys from ssh-keygen (which also gives the fingerprints)
// and a script of answers in place of the terminal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HostKeyVerifier } from '../../../../src/transport/ssh/host-key-verifier.js';
import { SshConfig } from '../../../../src/transport/ssh/ssh-config.js';
import { PromptInterrupted, type Prompter } from '../../../../src/transport/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'relaysync-hkv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let keys = 0;
function hostKey(type = 'ed25519'): { blob: Buffer; line: string; pub: string } {
  const file = join(dir, `key${++keys}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  return { blob: Buffer.from(base64!, 'base64'), line: `${keyType} ${base64}`, pub: `${file}.pub` };
}

const key = hostKey();
const other = hostKey();
const fp = (pub: string, hash = 'sha256') => execFileSync('ssh-keygen', ['-E', hash, '-lf', pub], { encoding: 'utf8' }).split(' ')[1]!;

/** A script of answers; every question asked is kept. */
function answering(...answers: (string | Error)[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: async (prompt) => {
      asked.push(prompt);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer ?? null;
    },
    lend: () => {},
  };
}

interface Case {
  /** ssh_config lines for `Host web`, which is HostName web.example. */
  readonly config?: readonly string[];
  readonly knownHosts?: string;
  readonly address?: string | null;
  readonly terminal?: Prompter | null;
}

let cases = 0;
function verifier(c: Case) {
  const n = ++cases;
  const knownHostsFile = join(dir, `known_hosts${n}`);
  writeFileSync(knownHostsFile, c.knownHosts ?? '');
  const configFile = join(dir, `config${n}`);
  const lines = [...(c.config ?? []), 'HostName web.example', `UserKnownHostsFile ${knownHostsFile}`, 'GlobalKnownHostsFile none'];
  writeFileSync(configFile, `Host web\n${lines.map((l) => `  ${l}\n`).join('')}`);
  const host = SshConfig.load({ home: dir, localUser: 'me', env: {}, configFile }).resolveHost('web');
  const notes: string[] = [];
  const v = new HostKeyVerifier({
    host,
    label: 'web',
    address: c.address === undefined ? '10.0.0.5' : c.address,
    terminal: c.terminal === undefined ? null : c.terminal,
    note: (m) => notes.push(m),
  });
  return {
    v,
    notes,
    /** Verifies `blob`, records what was accepted as after a successful handshake, and returns what the file then holds. */
    async check(blob: Buffer) {
      const accepted = await v.verify(blob);
      if (accepted) v.recordAcceptedKey();
      return { accepted, refusal: v.refusal, file: readFileSync(knownHostsFile, 'utf8'), path: knownHostsFile };
    },
  };
}

describe('known hosts', () => {
  it('accepts the recorded key and refuses another, naming the file and line', async () => {
    assert.equal((await verifier({ knownHosts: `web.example ${key.line}\n` }).check(key.blob)).accepted, true);
    const changed = await verifier({ knownHosts: `# comment\nweb.example ${key.line}\n` }).check(other.blob);
    assert.equal(changed.accepted, false);
    assert.equal(changed.refusal?.reason, 'host-key');
    assert.ok(changed.refusal!.message.includes(`Offending ED25519 key in ${changed.path}:2`), changed.refusal!.message);
    assert.ok(changed.refusal!.message.includes(fp(other.pub)), changed.refusal!.message);
  });

  it('refuses a changed key even under StrictHostKeyChecking no, where ssh would go on', async () => {
    const r = await verifier({ config: ['StrictHostKeyChecking no'], knownHosts: `web.example ${key.line}\n` }).check(other.blob);
    assert.equal(r.accepted, false);
    assert.match(r.refusal!.message, /never connects to a host whose key changed/);
  });

  it('finds a host on another port recorded without the port, and records nothing', async () => {
    const r = await verifier({ config: ['Port 2222', 'StrictHostKeyChecking accept-new'], knownHosts: `web.example ${key.line}\n` }).check(key.blob);
    assert.equal(r.accepted, true);
    assert.equal(r.file, `web.example ${key.line}\n`);
  });

  it('looks the host up, and records it, under HostKeyAlias without a port', async () => {
    assert.equal((await verifier({ config: ['HostKeyAlias Web-Key', 'Port 2222'], knownHosts: `web-key ${key.line}\n` }).check(key.blob)).accepted, true);
    const r = await verifier({ config: ['HostKeyAlias web-key', 'Port 2222', 'StrictHostKeyChecking accept-new', 'HashKnownHosts no'] }).check(key.blob);
    assert.equal(r.file, `web-key ${key.line}\n`);
  });

  it('refuses a key listed in RevokedHostKeys, and any key when that list cannot be read', async () => {
    const revoked = join(dir, 'revoked');
    writeFileSync(revoked, `${key.line}\n`);
    const r = await verifier({ config: [`RevokedHostKeys ${revoked}`], knownHosts: `web.example ${key.line}\n` }).check(key.blob);
    assert.equal(r.accepted, false);
    assert.ok(r.refusal!.message.includes(`is revoked by ${revoked}`), r.refusal!.message);
    assert.equal((await verifier({ config: [`RevokedHostKeys ${revoked}`], knownHosts: `web.example ${other.line}\n` }).check(other.blob)).accepted, true);
    const unreadable = await verifier({ config: [`RevokedHostKeys ${join(dir, 'missing')}`], knownHosts: `web.example ${key.line}\n` }).check(key.blob);
    assert.equal(unreadable.accepted, false);
    assert.match(unreadable.refusal!.message, /cannot check the host key against RevokedHostKeys/);
  });

  it('shows fingerprints as FingerprintHash asks', async () => {
    const r = await verifier({ config: ['FingerprintHash md5'], knownHosts: `web.example ${key.line}\n` }).check(other.blob);
    assert.ok(r.refusal!.message.includes(fp(other.pub, 'md5')), r.refusal!.message);
  });

  it('asks first for the key types known for the host, unless HostKeyAlgorithms was set', () => {
    const ecdsa = hostKey('ecdsa');
    const offered = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512'];
    assert.deepEqual(verifier({ knownHosts: `web.example ${ecdsa.line}\n` }).v.orderHostKeyAlgorithms(offered), ['ecdsa-sha2-nistp256', 'ssh-ed25519', 'rsa-sha2-512']);
    const configured = verifier({ config: ['HostKeyAlgorithms ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512'], knownHosts: `web.example ${ecdsa.line}\n` });
    assert.deepEqual(configured.v.orderHostKeyAlgorithms(offered), offered);
  });
});

describe('a host not known yet', () => {
  it('is refused under yes, and in batch mode, with the line to add, without asking', async () => {
    const terminal = answering('yes');
    for (const config of [['StrictHostKeyChecking yes'], ['BatchMode yes']]) {
      const r = await verifier({ config, terminal }).check(key.blob);
      assert.equal(r.accepted, false);
      assert.ok(r.refusal!.message.includes(`add this line to ${r.path}:\nweb.example ${key.line}\n`), r.refusal!.message);
    }
    assert.deepEqual(terminal.asked, []);
  });

  it('is asked about on the terminal like ssh, refusing anything but yes or the fingerprint', async () => {
    const terminal = answering('maybe', 'no');
    const r = await verifier({ terminal }).check(key.blob);
    assert.equal(r.accepted, false);
    assert.equal(terminal.asked.length, 2);
    assert.equal(
      terminal.asked[0],
      [
        "web: The authenticity of host 'web.example (10.0.0.5)' can't be established.",
        `ED25519 key fingerprint is ${fp(key.pub)}.`,
        'This key is not known by any other names.',
        'Are you sure you want to continue connecting (yes/no/[fingerprint])? ',
      ].join('\n'),
    );
    assert.equal(terminal.asked[1], "web: Please type 'yes', 'no' or the fingerprint: ");
    assert.equal(r.file, '');
  });

  it('is recorded when the user types yes or the fingerprint, and other names of the key are shown', async () => {
    for (const answer of ['yes', fp(key.pub)]) {
      const terminal = answering(answer);
      const r = await verifier({ terminal, config: ['HashKnownHosts no'], knownHosts: `old-name ${key.line}\n` }).check(key.blob);
      assert.equal(r.accepted, true);
      assert.ok(terminal.asked[0]!.includes(`This host key is known by the following other names/addresses:\n    ${r.path}:1: old-name\n`), terminal.asked[0]);
      assert.equal(r.file, `old-name ${key.line}\nweb.example ${key.line}\n`);
    }
  });

  it('is not asked about when there is no terminal, and the refusal says so', async () => {
    const r = await verifier({ terminal: null }).check(key.blob);
    assert.equal(r.accepted, false);
    assert.match(r.refusal!.message, /The host is not known and there is no terminal to ask on\./);
  });

  it('ends the connection as interrupted when the user presses Ctrl-C at the question', async () => {
    const r = await verifier({ terminal: answering(new PromptInterrupted('^C')) }).check(key.blob);
    assert.equal(r.accepted, false);
    assert.equal(r.refusal?.reason, 'interrupted');
  });

  it('is recorded under accept-new as ssh records it, hashed when HashKnownHosts says so', async () => {
    const plain = await verifier({ config: ['StrictHostKeyChecking accept-new', 'HashKnownHosts no'] });
    const r = await plain.check(key.blob);
    assert.equal(r.file, `web.example ${key.line}\n`);
    assert.deepEqual(plain.notes, [`web: permanently added 'web.example' (ED25519) to the list of known hosts (${r.path}).`]);
    const hashed = await verifier({ config: ['StrictHostKeyChecking accept-new', 'HashKnownHosts yes'] }).check(key.blob);
    assert.match(hashed.file, /^\|1\|\S+ ssh-ed25519 \S+\n$/);
    assert.ok(execFileSync('ssh-keygen', ['-F', 'web.example', '-f', hashed.path], { encoding: 'utf8' }).includes(hashed.file.trim()));
  });

  it('cannot be recorded when UserKnownHostsFile is none', async () => {
    const n = ++cases;
    const configFile = join(dir, `config${n}`);
    writeFileSync(configFile, 'Host web\n  HostName web.example\n  UserKnownHostsFile none\n  GlobalKnownHostsFile none\n  StrictHostKeyChecking accept-new\n');
    const host = SshConfig.load({ home: dir, localUser: 'me', env: {}, configFile }).resolveHost('web');
    const v = new HostKeyVerifier({ host, label: 'web', address: null, terminal: null, note: () => {} });
    assert.equal(await v.verify(key.blob), false);
    assert.match(v.refusal!.message, /UserKnownHostsFile is none, so there is nowhere to record it/);
  });
});

describe('CheckHostIP', () => {
  const config = ['CheckHostIP yes', 'HashKnownHosts no'];

  it('records the address of a known host whose address is not known yet', async () => {
    const c = verifier({ config, knownHosts: `web.example ${key.line}\n` });
    const r = await c.check(key.blob);
    assert.equal(r.accepted, true);
    assert.equal(r.file, `web.example ${key.line}\n10.0.0.5 ${key.line}\n`);
    assert.match(c.notes[0]!, /permanently added the ED25519 host key for IP address '10\.0\.0\.5'/);
  });

  it('records a new host as `name,address`, or as two hashed lines', async () => {
    assert.equal((await verifier({ config: [...config, 'StrictHostKeyChecking accept-new'] }).check(key.blob)).file, `web.example,10.0.0.5 ${key.line}\n`);
    const hashed = await verifier({ config: ['CheckHostIP yes', 'HashKnownHosts yes', 'StrictHostKeyChecking accept-new'] }).check(key.blob);
    assert.equal(hashed.file.split('\n').filter((l) => l.startsWith('|1|')).length, 2);
  });

  it('refuses, warns or asks when the address is recorded with another key, as StrictHostKeyChecking says', async () => {
    const knownHosts = `web.example ${key.line}\n10.0.0.5 ${other.line}\n`;
    const strict = await verifier({ config, knownHosts }).check(key.blob);
    assert.equal(strict.accepted, false);
    assert.match(strict.refusal!.message, /the ED25519 host key for 'web.example' differs from the key for the IP address '10\.0\.0\.5'\nOffending key for IP in .*:2\nMatching host key in .*:1/);
    const lenient = verifier({ config: [...config, 'StrictHostKeyChecking no'], knownHosts });
    assert.equal((await lenient.check(key.blob)).accepted, true);
    assert.match(lenient.notes[0]!, /differs from the key for the IP address/);
    const terminal = answering('yes');
    assert.equal((await verifier({ config: [...config, 'StrictHostKeyChecking ask'], knownHosts, terminal }).check(key.blob)).accepted, true);
    assert.match(terminal.asked[0]!, /Are you sure you want to continue connecting \(yes\/no\)\? $/);
  });

  it('warns of DNS spoofing when the host key changed but the address kept its key', async () => {
    const r = await verifier({ config, knownHosts: `web.example ${other.line}\n10.0.0.5 ${key.line}\n` }).check(key.blob);
    assert.equal(r.accepted, false);
    assert.match(r.refusal!.message, /POSSIBLE DNS SPOOFING DETECTED[\s\S]*is unchanged\. This could either mean that[\s\S]*REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('does not check the address through a proxy or for a loopback address', async () => {
    for (const address of [null, '127.0.0.1']) {
      const r = await verifier({ config, knownHosts: `web.example ${key.line}\n`, address }).check(key.blob);
      assert.equal(r.file, `web.example ${key.line}\n`);
    }
  });
});
