// relaysync reaching hosts the way OpenSSH users expect, against real sshd
// in network namespaces: keys from ssh_config, an agent, encrypted keys,
// passwords and keyboard-interactive on a (pseudo-)terminal, a host only a
// bastion can reach, OpenSSH's own client through -e, and every host key
// decision. OpenSSH (ssh, ssh-keygen, rsync -e) is the oracle wherever it
// can be one.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { run, runRelaysync, runRsync, relaysyncBin, type RunResult } from '../harness/run.js';
import { assertSameTree, compareSnapshots, snapshot } from '../harness/snapshot.js';
import { runOnTerminal } from '../harness/terminal.js';
import { buildTree, file } from '../harness/tree.js';
import { startLab, type Lab, type LabHost } from '../lab/lab.js';

let lab: Lab;
/** Files of the test's own: keys, known_hosts files, configuration, the agent's socket. */
let work: string;
/** The tree every copy starts from, on host-a. */
let source: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'relaysync-ssh-test-'));
  // A password user needs root (its accounts are bind-mounted for one sshd); the lab refuses to run without root in CI.
  lab = await startLab({ bastion: true, passwordUser: process.getuid?.() === 0 });
  source = path.join(lab.a.dataDir, 'src');
  await buildTree(source, [
    file('readme.txt', { content: 'relayed\n' }),
    file('sub/data.bin', { size: 50_000 }),
    file('sub/empty'),
  ]);
});

after(async () => {
  await lab?.stop();
  await rm(work, { recursive: true, force: true });
});

const knownHosts = () => path.join(lab.home, '.ssh', 'known_hosts');
const clientKey = () => path.join(lab.home, '.ssh', 'id_ed25519');

/** An ssh_config block for `alias` reaching `host` as the local user (root in CI), with the lab's key and known_hosts unless `lines` say otherwise first. */
async function addAlias(alias: string, host: LabHost, lines: readonly string[] = []): Promise<void> {
  const block = [
    `Host ${alias}`,
    ...lines,
    `HostName ${host.address}`,
    `Port ${host.port}`,
    `IdentityFile ${clientKey()}`,
    'IdentitiesOnly yes',
    `UserKnownHostsFile ${knownHosts()}`,
    'StrictHostKeyChecking yes',
  ];
  await appendFile(lab.sshConfig, `${block.join('\n  ')}\n`);
}

function relaysync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runRelaysync(args, { env: { ...lab.env, ...env } });
}

function assertExit(result: RunResult | { code: number | null; output: string }, code: number): void {
  const shown = 'output' in result ? result.output : result.stderr;
  assert.equal(result.code, code, `exit code ${result.code}, expected ${code}; it said:\n${shown}`);
}

async function makeKey(name: string, passphrase = ''): Promise<string> {
  const key = path.join(work, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', key]);
  return key;
}

/** Lets `key` log in on these hosts. */
async function authorize(key: string, hosts: readonly LabHost[]): Promise<void> {
  const line = await readFile(`${key}.pub`, 'utf8');
  for (const host of hosts) await appendFile(path.join(host.sshdDir, 'authorized_keys'), line);
}

/** How known_hosts names a lab host: its address, with the port when it is not 22 (the loopback fallback). */
function knownName(host: LabHost): string {
  return host.port === 22 ? host.address : `[${host.address}]:${host.port}`;
}

/** The host's ED25519 key as known_hosts records it for its address. */
async function knownHostsLine(host: LabHost): Promise<string> {
  const [type, blob] = (await readFile(path.join(host.sshdDir, 'ssh_host_ed25519_key.pub'), 'utf8')).split(' ');
  return `${knownName(host)} ${type} ${blob}`;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Password tests need the lab's password user, which needs root. */
function skipWithoutPasswordUser(t: { skip(message: string): void }): boolean {
  if (lab.passwordUser !== undefined) return false;
  t.skip('no password user: the lab needs root for it');
  return true;
}

function fingerprint(host: LabHost): string {
  return execFileSync('ssh-keygen', ['-lf', path.join(host.sshdDir, 'ssh_host_ed25519_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
}

/** How many logins a host's sshd has accepted so far. */
async function logins(host: LabHost): Promise<number> {
  return ((await readFile(path.join(host.sshdDir, 'sshd.log'), 'utf8')).match(/Accepted \S+ for/g) ?? []).length;
}

describe('keys from ssh_config', () => {
  it('copies between two hosts with the IdentityFile the configuration names', async () => {
    const dest = path.join(lab.b.dataDir, 'keyfile');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `host-b:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });

  it('runs SRC and DEST on one host through one SSH connection', async () => {
    const before = await logins(lab.a);
    const dest = path.join(lab.a.dataDir, 'same-host');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `host-a:${dest}/`]), 0);
    await assertSameTree(source, dest);
    assert.equal((await logins(lab.a)) - before, 1);
  });

  it('finds hosts through Host patterns and Include, as ssh -G resolves them', async () => {
    await mkdir(path.join(lab.home, '.ssh', 'conf.d'), { recursive: true });
    await writeFile(
      path.join(lab.home, '.ssh', 'conf.d', 'web.conf'),
      [
        'Host web-? !web-x',
        `  IdentityFile ${clientKey()}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${knownHosts()}`,
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        '',
      ].join('\n'),
    );
    const config = path.join(work, 'patterns.conf');
    await writeFile(config, `Include conf.d/*.conf\nHost web-a\n  HostName ${lab.a.address}\n  Port ${lab.a.port}\nHost web-b\n  HostName ${lab.b.address}\n  Port ${lab.b.port}\n`);
    for (const [alias, host] of [['web-a', lab.a], ['web-b', lab.b]] as const) {
      const resolved = execFileSync('ssh', ['-G', '-F', config, alias], { env: lab.env, encoding: 'utf8' });
      assert.match(resolved, new RegExp(`^hostname ${escaped(host.address)}$`, 'm'));
    }
    const dest = path.join(lab.b.dataDir, 'patterns');
    assertExit(await relaysync(['-a', `--ssh-config=${config}`, `web-a:${source}/`, `web-b:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });

  it('names each ssh_config setting it does not act on once under -v, and not without it', async () => {
    await addAlias('verbose-a', lab.a, ['ForwardAgent yes']);
    await addAlias('verbose-b', lab.b, ['ForwardAgent yes']);
    const dest = path.join(lab.b.dataDir, 'verbose');
    const quiet = await relaysync(['-a', `verbose-a:${source}/`, `verbose-b:${dest}/`]);
    assertExit(quiet, 0);
    assert.doesNotMatch(quiet.stderr, /ForwardAgent/);
    const verbose = await relaysync(['-av', `verbose-a:${source}/`, `verbose-b:${dest}/`]);
    assertExit(verbose, 0);
    const mentions = verbose.stderr.split('\n').filter((line) => line.includes('ForwardAgent'));
    assert.equal(mentions.length, 2, verbose.stderr);
    assert.match(mentions[0]!, /ignoring "ForwardAgent yes" \(.*config line \d+\): relaysync never forwards your agent/);
  });
});

describe('ssh-agent', () => {
  let agent: ChildProcess;
  let socket: string;
  let agentKey: string;
  before(async () => {
    socket = path.join(work, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    while (!existsSync(socket)) await delay(20);
    agentKey = await makeKey('agent_key');
    await authorize(agentKey, [lab.a, lab.b]);
    execFileSync('ssh-add', ['-q', agentKey], { env: { ...lab.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    await rm(agentKey);
  });
  after(async () => {
    agent.kill('SIGTERM');
    await once(agent, 'exit');
  });

  it('logs in with a key only the agent holds, without forwarding it or asking for a terminal', async () => {
    for (const [alias, host] of [['agent-a', lab.a], ['agent-b', lab.b]] as const) {
      await appendFile(lab.sshConfig, `Host ${alias}\n  HostName ${host.address}\n  Port ${host.port}\n  IdentityFile none\n  UserKnownHostsFile ${knownHosts()}\n  BatchMode yes\n`);
    }
    const dest = path.join(lab.b.dataDir, 'agent');
    // The servers start only where no agent socket and no terminal reach them.
    const guarded = 'test -z "$SSH_AUTH_SOCK" && ! tty -s && rsync';
    const result = await relaysync(['-a', `--rsync-path=${guarded}`, `agent-a:${source}/`, `agent-b:${dest}/`], { SSH_AUTH_SOCK: socket });
    assertExit(result, 0);
    await assertSameTree(source, dest);
    const agentFingerprint = execFileSync('ssh-keygen', ['-lf', `${agentKey}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    for (const host of [lab.a, lab.b]) assert.ok((await readFile(path.join(host.sshdDir, 'sshd.log'), 'utf8')).includes(agentFingerprint));
  });
});

describe('prompts on the terminal', () => {
  const passphrase = 'correct horse';
  let encrypted: string;
  before(async () => {
    encrypted = await makeKey('encrypted_key', passphrase);
    await authorize(encrypted, [lab.a, lab.b]);
    for (const [alias, host] of [['enc-a', lab.a], ['enc-b', lab.b]] as const) {
      await appendFile(
        lab.sshConfig,
        `Host ${alias}\n  HostName ${host.address}\n  Port ${host.port}\n  IdentityFile ${encrypted}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts()}\n`,
      );
    }
    const common = `HostName ${lab.a.address}\n  Port ${lab.a.port}\n  User ${lab.passwordUser?.name ?? 'nobody'}\n  UserKnownHostsFile ${knownHosts()}\n  PubkeyAuthentication no`;
    await appendFile(lab.sshConfig, `Host pw-a\n  ${common}\n  PreferredAuthentications password\n`);
    await appendFile(lab.sshConfig, `Host kbd-a\n  ${common}\n  PreferredAuthentications keyboard-interactive\n`);
  });

  it("asks for an encrypted key's passphrase, one host at a time, each prompt naming its host", async () => {
    const dest = path.join(lab.b.dataDir, 'encrypted');
    const prompt = /(enc-[ab]): Enter passphrase for key '[^']*encrypted_key': /;
    const result = await runOnTerminal(relaysyncBin, ['-a', `enc-a:${source}/`, `enc-b:${dest}/`], {
      env: lab.env,
      exchanges: [
        { prompt, answer: passphrase },
        { prompt, answer: passphrase },
      ],
    });
    assertExit(result, 0);
    await assertSameTree(source, dest);
    assert.equal(result.answered.length, 2, result.output);
    const hosts = result.answered.map((a) => prompt.exec(result.output.slice(a.promptAt))![1]);
    assert.deepEqual([...hosts].sort(), ['enc-a', 'enc-b']);
    // The second host asks only once the first has its answer.
    assert.ok(result.answered[1]!.promptAt >= result.answered[0]!.outputLength, result.output);
    assert.doesNotMatch(result.output, new RegExp(passphrase), 'the passphrase was shown on the terminal');
  });

  it('logs in with a password, asking again after a wrong one, as the user sshd knows', async (t) => {
    if (skipWithoutPasswordUser(t)) return;
    const user = lab.passwordUser!;
    const dest = path.join(user.home, 'by-password');
    const prompt = new RegExp(`pw-a: ${user.name}@${escaped(lab.a.address)}'s password: `);
    // Root by key and the user by password: two logins to one host.
    const result = await runOnTerminal(relaysyncBin, ['-rt', `host-a:${source}/`, `pw-a:${dest}/`], {
      env: lab.env,
      exchanges: [
        { prompt, answer: 'wrong password' },
        { prompt: /pw-a: Permission denied, please try again\.\r?\npw-a: .*'s password: /, answer: user.password },
      ],
    });
    assertExit(result, 0);
    assert.equal(result.answered.length, 2, result.output);
    await assertSameTree(source, dest, { ignore: ['owner', 'mode'] });
  });

  it('logs in with keyboard-interactive, showing the questions PAM asks', async (t) => {
    if (skipWithoutPasswordUser(t)) return;
    const user = lab.passwordUser!;
    const dest = path.join(user.home, 'by-kbd');
    const result = await runOnTerminal(relaysyncBin, ['-rt', `host-a:${source}/`, `kbd-a:${dest}/`], {
      env: lab.env,
      exchanges: [{ prompt: /kbd-a: Password: /, answer: user.password }],
    });
    assertExit(result, 0);
    await assertSameTree(source, dest, { ignore: ['owner', 'mode'] });
    const files = execFileSync('find', [dest, '-type', 'f', '-printf', '%U\n'], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual([...new Set(files)], [String(user.uid)]);
  });

  it("stops at Ctrl-C on a prompt with rsync's exit code for a signal", async () => {
    const dest = path.join(lab.b.dataDir, 'interrupted');
    const result = await runOnTerminal(relaysyncBin, ['-a', `enc-a:${source}/`, `host-b:${dest}/`], {
      env: lab.env,
      exchanges: [{ prompt: /enc-a: Enter passphrase for key/, answer: '\x03' }],
    });
    assertExit(result, 20);
    assert.match(result.output, /enc-a \(source\): interrupted at a login prompt/);
    assert.equal(existsSync(dest), false);
  });

  it('with no terminal, fails at once and says which host needed what', async (t) => {
    if (skipWithoutPasswordUser(t)) return;
    const never = path.join(lab.passwordUser!.home, 'never');
    const result = await relaysync(['-a', `enc-a:${source}/`, `pw-a:${never}/`]);
    assertExit(result, 5);
    assert.equal(existsSync(never), false);
    assert.match(result.stderr, new RegExp(`enc-a \\(source\\): authentication failed for user ${os.userInfo().username} `));
    assert.match(result.stderr, /encrypted_key \(encrypted, and there is no terminal to ask for its passphrase on: add the key to ssh-agent\)/);
    assert.match(result.stderr, /pw-a \(destination\): authentication failed for user rstest/);
    assert.match(result.stderr, /password \(the server accepts it, but there is no terminal to ask on\)/);
  });
});

describe('a host only a bastion can reach', () => {
  it('cannot be reached from here, only from the bastion', async (t) => {
    if (!lab.isolated) return t.skip('loopback fallback: every host can reach every other');
    assert.equal(await lab.canReach(null, lab.inner!), false);
    assert.equal(await lab.canReach(lab.bastion!, lab.inner!), true);
    assert.equal(await lab.canReach(lab.a, lab.inner!), false);
  });

  it('is reached through ProxyJump, sharing one connection to the bastion for both ends', async () => {
    const before = await Promise.all([logins(lab.bastion!), logins(lab.inner!)]);
    const first = path.join(lab.inner!.dataDir, 'jump-1');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `inner:${first}/`]), 0);
    await assertSameTree(source, first);
    const second = path.join(lab.inner!.dataDir, 'jump-2');
    assertExit(await relaysync(['-a', `inner:${first}/`, `inner:${second}/`]), 0);
    await assertSameTree(source, second);
    const after = await Promise.all([logins(lab.bastion!), logins(lab.inner!)]);
    assert.deepEqual([after[0]! - before[0]!, after[1]! - before[1]!], [2, 2]);
  });

  it('follows a chain of hops written user@host:port', async () => {
    await addAlias('inner-chain', lab.inner!, [`ProxyJump ${os.userInfo().username}@bastion:${lab.bastion!.port},bastion`]);
    const dest = path.join(lab.inner!.dataDir, 'chain');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `inner-chain:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });

  it('is reached through a ProxyCommand that runs OpenSSH', async () => {
    await addAlias('inner-command', lab.inner!, [`ProxyCommand ssh -F ${lab.sshConfig} -W %h:%p bastion`]);
    const dest = path.join(lab.inner!.dataDir, 'command');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `inner-command:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });
});

describe('-e and RSYNC_RSH', () => {
  it("runs OpenSSH's client with the arguments rsync gives it", async () => {
    // A remote shell that notes its arguments, then runs ssh with them.
    const recorder = path.join(work, 'recording-rsh');
    const log = path.join(work, 'rsh-args');
    await writeFile(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" >>"${log}"\necho >>"${log}"\nexec ssh "$@"\n`);
    await chmod(recorder, 0o755);
    const rsh = `${recorder} -F '${lab.sshConfig}' -o "BatchMode yes"`;
    const user = os.userInfo().username;
    const local = path.join(work, 'rsync-copy');
    assertExit(await runRsync(['-a', '-e', rsh, `${user}@host-a:${source}/`, `${local}/`], { env: lab.env }), 0);
    const dest = path.join(lab.b.dataDir, 'by-rsh');
    assertExit(await relaysync(['-a', '-e', rsh, `${user}@host-a:${source}/`, `host-b:${dest}/`]), 0);
    await assertSameTree(source, dest);

    const [byRsync, bySource] = (await readFile(log, 'utf8')).split('\n\n').map((args) => args.split('\n'));
    // Everything before the remote command: the split -e words, -l USER, the host.
    const upToHost = (args: string[]) => args.slice(0, args.indexOf('host-a') + 1);
    assert.deepEqual(upToHost(bySource!), upToHost(byRsync!));
    assert.deepEqual(upToHost(byRsync!), ['-F', lab.sshConfig, '-o', 'BatchMode yes', '-l', user, 'host-a']);
    assert.equal(bySource![upToHost(bySource!).length], 'rsync');
  });

  it("lets OpenSSH ask for passwords on the terminal, one host at a time", async (t) => {
    if (skipWithoutPasswordUser(t)) return;
    const user = lab.passwordUser!;
    const rsh = `ssh -F ${lab.sshConfig} -o PreferredAuthentications=password`;
    const prompt = new RegExp(`${user.name}@${escaped(lab.a.address)}'s password: `);
    const first = path.join(user.home, 'rsh-source');
    await mkdir(first);
    await writeFile(path.join(first, 'note.txt'), 'through OpenSSH\n');
    const result = await runOnTerminal(relaysyncBin, ['-rt', '-e', rsh, `pw-a:${first}/`, `pw-a:${user.home}/rsh-copy/`], {
      env: lab.env,
      exchanges: [
        { prompt, answer: user.password },
        { prompt, answer: user.password },
      ],
    });
    assertExit(result, 0);
    assert.equal(await readFile(path.join(user.home, 'rsh-copy', 'note.txt'), 'utf8'), 'through OpenSSH\n');
    // The second ssh asks only once the first has its answer and has started its server.
    assert.ok(result.answered[1]!.promptAt >= result.answered[0]!.outputLength, result.output);
  });

  it('refuses --ssh-config with a remote shell, which has its own', async () => {
    const result = await relaysync(['-a', '-e', 'ssh', '--ssh-config=/dev/null', `host-a:${source}/`, `host-b:/nowhere/`]);
    assertExit(result, 1);
    assert.match(result.stderr, /--ssh-config=\/dev\/null is for relaysync's own SSH client; with a remote shell, give it to that shell \(-e "ssh -F \/dev\/null"\)/);
  });

  it('takes the remote shell from RSYNC_RSH when -e is not given', async () => {
    const dest = path.join(lab.b.dataDir, 'by-rsync-rsh');
    assertExit(await relaysync(['-a', `host-a:${source}/`, `host-b:${dest}/`], { RSYNC_RSH: lab.rsh }), 0);
    await assertSameTree(source, dest);
  });
});

describe('-4 and -6', () => {
  it('reaches IPv4 hosts with -4, through its own SSH and passed on to OpenSSH', async () => {
    const own = path.join(lab.b.dataDir, 'ipv4-own');
    assertExit(await relaysync(['-a', '-4', `host-a:${source}/`, `host-b:${own}/`]), 0);
    await assertSameTree(source, own);
    const byOpenSsh = path.join(lab.b.dataDir, 'ipv4-openssh');
    assertExit(await relaysync(['-a', '-4', '-e', `ssh -F '${lab.sshConfig}' -o "BatchMode yes"`, `host-a:${source}/`, `host-b:${byOpenSsh}/`]), 0);
    await assertSameTree(source, byOpenSsh);
  });

  it('with -6, refuses a host named by an IPv4 address before anything runs', async () => {
    const dest = path.join(lab.b.dataDir, 'ipv6-only');
    const result = await relaysync(['-a', '-6', `host-a:${source}/`, `host-b:${dest}/`]);
    assertExit(result, 10);
    assert.ok(result.stderr.includes(`relaysync: host-b (destination): ${lab.b.address} is an IPv4 address, and only IPv6 may be used (-6 or AddressFamily)`), result.stderr);
    assert.equal(existsSync(dest), false);
  });
});

describe('host keys', () => {
  /** An alias for host-b whose known_hosts is a file of the test's own. */
  async function aliasWithKnownHosts(alias: string, text: string, lines: readonly string[] = []): Promise<string> {
    const file = path.join(work, `known_hosts-${alias}`);
    await writeFile(file, text);
    await addAlias(alias, lab.b, [`UserKnownHostsFile ${file}`, ...lines]);
    return file;
  }

  it('refuses a host whose key changed, naming the file and line, and leaves the destination untouched', async () => {
    const impostor = await makeKey('impostor_key');
    const [type, blob] = (await readFile(`${impostor}.pub`, 'utf8')).split(' ');
    const recorded = await aliasWithKnownHosts('changed-b', `# the key host-b had\n${knownName(lab.b)} ${type} ${blob}\n`);
    const dest = path.join(lab.b.dataDir, 'untouched');
    await buildTree(dest, [file('keep.txt', { content: 'keep\n' })]);
    const before = await snapshot(dest);
    const result = await relaysync(['-a', '--delete', `host-a:${source}/`, `changed-b:${dest}/`]);
    assertExit(result, 5);
    assert.match(result.stderr, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
    assert.ok(result.stderr.includes(`Offending ED25519 key in ${recorded}:2`), result.stderr);
    assert.ok(result.stderr.includes(fingerprint(lab.b)), result.stderr);
    assert.deepEqual(compareSnapshots(before, await snapshot(dest)), [], 'the destination changed');
  });

  it('refuses an unknown host in batch mode with the line to add, which then makes it known', async () => {
    const known = await aliasWithKnownHosts('unknown-b', '', ['BatchMode yes']);
    const dest = path.join(lab.b.dataDir, 'after-adding');
    const refused = await relaysync(['-a', `host-a:${source}/`, `unknown-b:${dest}/`]);
    assertExit(refused, 5);
    const expected = await knownHostsLine(lab.b);
    assert.ok(refused.stderr.includes(`add this line to ${known}:\n${expected}\n`), refused.stderr);
    assert.ok(refused.stderr.includes(`ED25519 key fingerprint is ${fingerprint(lab.b)}.`), refused.stderr);
    assert.equal(existsSync(dest), false);

    await appendFile(known, `${expected}\n`);
    assertExit(await relaysync(['-a', `host-a:${source}/`, `unknown-b:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });

  it('asks about an unknown host on a terminal like ssh, taking the fingerprint as a yes', async () => {
    const known = await aliasWithKnownHosts('ask-b', '', ['StrictHostKeyChecking ask']);
    const dest = path.join(lab.b.dataDir, 'asked');
    const result = await runOnTerminal(relaysyncBin, ['-a', `host-a:${source}/`, `ask-b:${dest}/`], {
      env: lab.env,
      exchanges: [{ prompt: /Are you sure you want to continue connecting \(yes\/no\/\[fingerprint\]\)\? /, answer: fingerprint(lab.b) }],
    });
    assertExit(result, 0);
    assert.ok(result.output.includes(`ask-b: The authenticity of host '${knownName(lab.b)} (${lab.b.address})' can't be established.`), result.output);
    assert.ok(result.output.includes(`ED25519 key fingerprint is ${fingerprint(lab.b)}.`), result.output);
    // Recorded as ssh records it (hashed, as Debian's ssh_config asks), and found by ssh-keygen.
    const recorded = (await readFile(known, 'utf8')).split('\n');
    assert.match(recorded[0]!, /^\|1\|\S+ ssh-ed25519 \S+$/);
    const found = execFileSync('ssh-keygen', ['-F', knownName(lab.b), '-f', known], { encoding: 'utf8' });
    assert.ok(found.includes(recorded[0]!), found);
    await assertSameTree(source, dest);
  });

  it('under accept-new records a new host in OpenSSH format, then accepts it without a word', async () => {
    const known = await aliasWithKnownHosts('accept-b', '', ['StrictHostKeyChecking accept-new', 'HashKnownHosts no', 'BatchMode yes']);
    const dest = path.join(lab.b.dataDir, 'accept-new');
    const first = await relaysync(['-a', `host-a:${source}/`, `accept-b:${dest}/`]);
    assertExit(first, 0);
    assert.match(first.stderr, new RegExp(`accept-b: permanently added '${escaped(knownName(lab.b))}' \\(ED25519\\)`));
    const recorded = await readFile(known, 'utf8');
    assert.equal(recorded, `${await knownHostsLine(lab.b)}\n`);
    // OpenSSH reads what was written.
    assertExit(await run('ssh', ['-F', lab.sshConfig, '-o', 'StrictHostKeyChecking=yes', 'accept-b', 'true'], { env: lab.env }), 0);

    const second = await relaysync(['-a', `host-a:${source}/`, `accept-b:${dest}/`]);
    assertExit(second, 0);
    assert.doesNotMatch(second.stderr, /permanently added/);
    assert.equal(await readFile(known, 'utf8'), recorded);
  });

  it('reads known_hosts entries hashed by ssh-keygen -H', async () => {
    const hashed = path.join(work, 'known_hosts-hashed');
    await writeFile(hashed, await readFile(knownHosts()));
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    assert.doesNotMatch(await readFile(hashed, 'utf8'), new RegExp(escaped(lab.a.address)));
    await addAlias('hashed-a', lab.a, [`UserKnownHostsFile ${hashed}`]);
    await addAlias('hashed-b', lab.b, [`UserKnownHostsFile ${hashed}`]);
    const dest = path.join(lab.b.dataDir, 'hashed');
    assertExit(await relaysync(['-a', `hashed-a:${source}/`, `hashed-b:${dest}/`]), 0);
    await assertSameTree(source, dest);
  });
});

describe('a connection that dies', () => {
  it('ends the run with exit code 12 and a message naming the host when keepalives go unanswered', async () => {
    await addAlias('frozen-b', lab.b, ['ServerAliveInterval 1', 'ServerAliveCountMax 2']);
    const dest = path.join(lab.b.dataDir, 'frozen');
    // The destination's server waits, so the connection is up and idle when host-b stops answering.
    const running = relaysync(['-a', '--dest-rsync-path=sleep 600; rsync', `host-a:${source}/`, `frozen-b:${dest}/`]);
    while (lab.processesNamed(lab.b, 'sleep').length === 0) await delay(50);
    lab.freeze(lab.b);
    let result: RunResult;
    try {
      result = await running;
    } finally {
      lab.thaw(lab.b);
    }
    assertExit(result, 12);
    assert.match(result.stderr, /frozen-b: no answer from \S+ to 2 keepalives sent 1 s apart \(ServerAliveInterval, ServerAliveCountMax\): the connection is dead/);
  });
});
