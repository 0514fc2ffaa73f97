// The two-host lab that integration and end-to-end tests run relaysync
// against: two real sshd hosts, each in its own network namespace, which the
// test process can reach but which cannot reach each other: the situation
// relaysync exists for. On request it adds a bastion with a host behind it
// that only the bastion can reach, and a user who logs in to host-a with a
// password (a passwd and shadow of host-a's own, bind-mounted for its sshd
// only, so the machine's accounts are never touched).
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { underCi } from './ci.js';
import {
  allPids,
  isRunning,
  parsePids,
  pidFromFile,
  processComm,
  processParent,
  readProcEntry,
  signal,
} from './processes.js';

const exec = promisify(execFile);

// Shell scripts are not compiled, so the provisioning script is found in the
// source tree, three levels above dist/test/lab/.
const provisionScript = fileURLToPath(new URL('../../../test/lab/provision-host.sh', import.meta.url));
const sshd = '/usr/sbin/sshd';
const sshdStartTimeoutMs = 20_000;
const stopGraceMs = 5_000;
const lingerGraceMs = 10_000;

// Namespaces and temporary directories carry their creator's pid, so labs of
// concurrent test files never collide and leftovers of dead test processes can
// be found. A veth pair lives and dies with its namespace.
const namespacePattern = /^rslab-(\d+)-/;
const tempDirPattern = /^relaysync-lab-(\d+)-/;
// Host subnets are 10.200.0.0/24 to 10.254.255.0/24, numbered from 0.
const subnetCount = 55 * 256;
// The link between the bastion and the host behind it exists only inside
// those two namespaces, so every lab can use the same subnet for it.
const hiddenSubnet = '10.199.255';
const passwordUserName = 'rstest';
// A uid no account of a test machine is likely to have: files the password user writes show it.
const passwordUserUid = 64123;

export interface LabHost {
  /** The ssh_config alias: `host-a`, `host-b`, `bastion` or `inner`. */
  readonly alias: string;
  readonly address: string;
  readonly port: number;
  /** The host's network namespace; undefined in the loopback fallback. */
  readonly namespace: string | undefined;
  /** This host's files. The hosts share this machine's filesystem, so each just gets its own directory. */
  readonly dataDir: string;
  /** sshd_config, host keys, authorized_keys, sshd.pid and sshd.log. */
  readonly sshdDir: string;
}

export interface LabOptions {
  /** Adds `bastion`, reachable from here, and `inner`, reachable only from the bastion (its alias has ProxyJump bastion). */
  readonly bastion?: boolean;
  /** Adds a user with a password on host-a, whose sshd then also accepts passwords and keyboard-interactive (PAM). Needs root. */
  readonly passwordUser?: boolean;
}

/** The user who logs in to host-a with a password. */
export interface PasswordUser {
  readonly name: string;
  readonly password: string;
  /** Its home on host-a, which it may write to. */
  readonly home: string;
  readonly uid: number;
}

export interface Lab {
  readonly a: LabHost;
  readonly b: LabHost;
  /** With `bastion`: the jump host, and the host only it can reach. */
  readonly bastion: LabHost | undefined;
  readonly inner: LabHost | undefined;
  /** With `passwordUser`: the user, on host-a. */
  readonly passwordUser: PasswordUser | undefined;
  /** False in the loopback fallback, where the two hosts can reach each other. */
  readonly isolated: boolean;
  /** The lab HOME: .ssh/config, .ssh/known_hosts and the client keys. */
  readonly home: string;
  readonly sshConfig: string;
  /** The environment to run relaysync, ssh or rsync with: HOME is the lab's, no SSH agent. */
  readonly env: NodeJS.ProcessEnv;
  /** Arguments OpenSSH needs to use the lab config (it takes ~ from the password database, not from HOME). */
  readonly sshArgs: readonly string[];
  /** The remote shell for `rsync -e`. */
  readonly rsh: string;
  /**
   * Whether `from` (or, when `from` is null, the test process) reaches
   * `to`'s sshd: it must answer with its SSH banner, since a network may
   * accept any TCP connection on the way (a transparent proxy does).
   */
  canReach(from: LabHost | null, to: LabHost): Promise<boolean>;
  /** Stops (SIGSTOP) every process of a host, so its connections go silent as if the network had died; thaw() lets them go on. */
  freeze(host: LabHost): void;
  thaw(host: LabHost): void;
  /** Pids of the processes named rsync now running on `host`. */
  rsyncProcesses(host: LabHost): number[];
  /** Pids of the processes with this command name now running on `host`. */
  processesNamed(host: LabHost, name: string): number[];
  /** Pids of rsync processes still running on `host` after a grace period for exiting ones. */
  lingeringRsync(host: LabHost): Promise<number[]>;
  /**
   * Adds an ssh_config alias for `host` with a key of its own that `host`
   * accepts only to run `forcedCommand` (authorized_keys `command="...",restrict`).
   */
  addRestrictedAlias(host: LabHost, alias: string, forcedCommand: string): Promise<void>;
  /** Kills every process of both hosts (sshd, sessions, rsync) and removes the namespaces, links and files. */
  stop(): Promise<void>;
}

/** The forced command that confines a key to rsync reads or writes under `dir` (Debian's rrsync). */
export function rrsync(access: 'ro' | 'wo', dir: string): string {
  return `rrsync -${access} ${dir}`;
}

let labsStarted = 0;

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  removeStaleLabs();
  const lab = new RunningLab(labsStarted++, options);
  try {
    await lab.start();
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}

interface Placement {
  address: string;
  port: number;
  namespace: string | undefined;
}

class RunningLab implements Lab {
  a!: LabHost;
  b!: LabHost;
  bastion: LabHost | undefined;
  inner: LabHost | undefined;
  passwordUser: PasswordUser | undefined;
  isolated = false;
  home = '';
  sshConfig = '';
  env: NodeJS.ProcessEnv = {};
  sshArgs: readonly string[] = [];
  rsh = '';
  private root = '';
  private readonly namespaces: string[] = [];
  private readonly links: string[] = [];
  private stopped = false;
  // A test file that forgets stop(), or fails before it, still leaves nothing behind.
  private readonly onExit = (): void => this.destroy();

  constructor(
    private readonly seq: number,
    private readonly options: LabOptions,
  ) {}

  private get hosts(): LabHost[] {
    return [this.a, this.b, this.bastion, this.inner].filter((h): h is LabHost => h !== undefined);
  }

  async start(): Promise<void> {
    process.on('exit', this.onExit);
    this.root = await mkdtemp(path.join(os.tmpdir(), `relaysync-lab-${process.pid}-${this.seq}-`));
    this.home = path.join(this.root, 'home');
    const sshDir = path.join(this.home, '.ssh');
    await mkdir(sshDir, { recursive: true, mode: 0o700 });
    this.sshConfig = path.join(sshDir, 'config');
    this.sshArgs = ['-F', this.sshConfig];
    this.rsh = `ssh -F ${this.sshConfig}`;
    this.env = { ...process.env, HOME: this.home };
    // Only the lab's keys may open a session: a developer's agent must not make a test pass.
    delete this.env.SSH_AUTH_SOCK;
    delete this.env.SSH_AGENT_PID;

    const names = this.options.bastion ? ['host-a', 'host-b', 'bastion'] : ['host-a', 'host-b'];
    const placements = await this.place(names);
    const clientKey = path.join(sshDir, 'id_ed25519');
    await generateKey(clientKey);
    if (this.options.passwordUser) this.passwordUser = await this.makePasswordUser();
    const started = await Promise.all(names.map((alias, i) => this.startHost(alias, placements[i]!, `${clientKey}.pub`)));
    [this.a, this.b, this.bastion] = started;
    const blocks = started.map((host) => this.hostBlock(host.alias, host, clientKey));
    if (this.bastion !== undefined) {
      this.inner = await this.startHost('inner', await this.placeBehind(this.bastion), `${clientKey}.pub`);
      blocks.push(this.hostBlock('inner', this.inner, clientKey, ['ProxyJump bastion']));
    }

    const knownHosts = path.join(sshDir, 'known_hosts');
    await writeFile(knownHosts, (await Promise.all(this.hosts.map(knownHostsLines))).join(''));
    await writeFile(this.sshConfig, blocks.join(''));
  }

  /** Where the sshd of each named host listens: in a namespace of its own if possible, else on loopback (never in CI). */
  private async place(names: readonly string[]): Promise<Placement[]> {
    let reason = 'not running as root';
    if (process.getuid?.() === 0) {
      try {
        const placements: Placement[] = [];
        for (const name of names) placements.push(await this.createNamespace(name));
        this.isolated = true;
        return placements;
      } catch (error) {
        reason = `creating network namespaces failed: ${(error as Error).message.trim()}`;
        this.removeNetwork();
      }
    }
    if (underCi()) {
      throw new Error(`relaysync lab: ${reason}. CI requires hosts isolated in network namespaces (run as root).`);
    }
    process.stderr.write(
      `\n${'*'.repeat(78)}\n` +
        `*** relaysync lab: ${reason}.\n` +
        `*** FALLING BACK to sshd on 127.0.0.1: ${names.join(', ')} CAN REACH EACH OTHER,\n` +
        `*** so these tests do not prove that relaysync works between isolated hosts.\n` +
        `${'*'.repeat(78)}\n\n`,
    );
    return loopbackPlacements(names.length);
  }

  /** A namespace joined to this one by a veth pair on its own /24. */
  private async createNamespace(name: string): Promise<Placement> {
    const namespace = `rslab-${process.pid}-${this.seq}-${name}`;
    await exec('ip', ['netns', 'add', namespace]);
    this.namespaces.push(namespace);
    const { link, subnet } = await this.linkOnFreeSubnet(namespace);
    await exec('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', link]);
    await exec('ip', ['link', 'set', link, 'up']);
    await configureEnd(namespace, 'eth0', `${subnet}.2`);
    return { address: `${subnet}.2`, port: 22, namespace };
  }

  /**
   * A namespace joined only to `bastion`'s, by a veth pair whose ends both
   * live in namespaces: nothing in this one has a route to it.
   */
  private async placeBehind(bastion: LabHost): Promise<Placement> {
    if (bastion.namespace === undefined) return (await loopbackPlacements(1))[0]!;
    const namespace = `rslab-${process.pid}-${this.seq}-inner`;
    await exec('ip', ['netns', 'add', namespace]);
    this.namespaces.push(namespace);
    await exec('ip', ['-n', bastion.namespace, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
    await configureEnd(bastion.namespace, 'eth1', `${hiddenSubnet}.1`);
    await configureEnd(namespace, 'eth0', `${hiddenSubnet}.2`);
    return { address: `${hiddenSubnet}.2`, port: 22, namespace };
  }

  /**
   * Creates the veth pair into `namespace`, its root end named after the
   * subnet it takes: creating a link is atomic, so two labs starting at once
   * cannot take the same subnet. Subnets that routes already use are skipped.
   */
  private async linkOnFreeSubnet(namespace: string): Promise<{ link: string; subnet: string }> {
    const { stdout } = await exec('ip', ['-4', 'route', 'show', 'table', 'all']);
    const routed = new Set([...stdout.matchAll(/\b10\.(\d+)\.(\d+)\./g)].map((match) => `10.${match[1]}.${match[2]}`));
    // Starting from the pid spreads concurrent labs apart.
    const start = (process.pid * 97 + this.seq * 2) % subnetCount;
    for (let i = 0; i < subnetCount; i++) {
      const n = (start + i) % subnetCount;
      const subnet = `10.${200 + Math.floor(n / 256)}.${n % 256}`;
      const link = `rsl${n}`;
      if (routed.has(subnet)) continue;
      try {
        await exec('ip', ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
      } catch (error) {
        if ((error as { stderr?: string }).stderr?.includes('File exists')) continue;
        throw error;
      }
      this.links.push(link);
      return { link, subnet };
    }
    throw new Error('no free subnet in 10.200.0.0-10.254.255.0');
  }

  private async startHost(alias: string, placement: Placement, clientPublicKey: string): Promise<LabHost> {
    const hostDir = path.join(this.root, alias);
    const host: LabHost = {
      alias,
      ...placement,
      dataDir: path.join(hostDir, 'data'),
      sshdDir: path.join(hostDir, 'sshd'),
    };
    await mkdir(host.dataDir, { recursive: true });
    const withPasswords = alias === 'host-a' && this.passwordUser !== undefined;
    // Bind mounts outside a namespace of its own would change the machine's accounts.
    if (withPasswords && host.namespace === undefined) throw new Error('relaysync lab: a password user needs network namespaces');
    // PAM makes keyboard-interactive work; root still logs in by key only.
    const extra = withPasswords ? 'UsePAM yes\nPasswordAuthentication yes\nKbdInteractiveAuthentication yes\n' : '';
    await exec(provisionScript, [host.sshdDir, host.address, String(host.port), clientPublicKey], {
      env: { ...process.env, SSHD_EXTRA_CONFIG: extra },
    });
    const log = path.join(host.sshdDir, 'sshd.log');
    const start = [sshd, '-f', path.join(host.sshdDir, 'sshd_config'), '-E', log];
    // sshd daemonizes and writes its pidfile once it listens, which makes the pidfile the readiness signal.
    await exec(...inHost(host, withPasswords ? withOwnAccounts(this.root, start) : start));
    const deadline = Date.now() + sshdStartTimeoutMs;
    while (sshdPid(host) === undefined) {
      const logText = await readFile(log, 'utf8').catch(() => '');
      if (logText.includes('fatal') || Date.now() > deadline) {
        throw new Error(`relaysync lab: sshd for ${host.alias} did not start; its log says:\n${logText}`);
      }
      await sleep(50);
    }
    return host;
  }

  private hostBlock(alias: string, host: LabHost, identityFile: string, extra: readonly string[] = []): string {
    const user = this.isolated ? 'root' : os.userInfo().username;
    return [
      `Host ${alias}`,
      `  HostName ${host.address}`,
      `  Port ${host.port}`,
      `  User ${user}`,
      `  IdentityFile ${identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${path.join(this.home, '.ssh', 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      ...extra.map((line) => `  ${line}`),
      '',
    ].join('\n');
  }

  /**
   * host-a's own passwd and shadow: the machine's, plus the password user.
   * The lab directory becomes world-readable so that the user can reach its home.
   */
  private async makePasswordUser(): Promise<PasswordUser> {
    if (process.getuid?.() !== 0) throw new Error('relaysync lab: a password user needs root (its sshd gets accounts of its own)');
    const password = `pw-${process.pid}-${this.seq}`;
    const home = path.join(this.root, 'host-a', 'home', passwordUserName);
    await mkdir(home, { recursive: true });
    await chown(home, passwordUserUid, passwordUserUid);
    for (const dir of [this.root, path.join(this.root, 'host-a'), path.join(this.root, 'host-a', 'home')]) await chmod(dir, 0o755);
    const { stdout: hash } = await exec('openssl', ['passwd', '-6', password]);
    const accounts = path.join(this.root, 'accounts');
    await mkdir(accounts, { mode: 0o700 });
    const [passwd, shadow] = await Promise.all([readFile('/etc/passwd', 'utf8'), readFile('/etc/shadow', 'utf8')]);
    const uid = passwordUserUid;
    await writeFile(path.join(accounts, 'passwd'), `${passwd.trimEnd()}\n${passwordUserName}:x:${uid}:${uid}::${home}:/bin/sh\n`, { mode: 0o644 });
    await writeFile(path.join(accounts, 'shadow'), `${shadow.trimEnd()}\n${passwordUserName}:${hash.trim()}:19000:0:99999:7:::\n`, { mode: 0o640 });
    return { name: passwordUserName, password, home, uid };
  }

  async canReach(from: LabHost | null, to: LabHost): Promise<boolean> {
    const probe = ['timeout', '5', 'bash', '-c', 'exec 3<>"/dev/tcp/$0/$1" && head -c 4 <&3 | grep -q "^SSH-"', to.address, String(to.port)];
    try {
      await exec(...(from === null ? ([probe[0]!, probe.slice(1)] as const) : inHost(from, probe)));
      return true;
    } catch {
      return false;
    }
  }

  freeze(host: LabHost): void {
    signal(hostPids(host), 'SIGSTOP');
  }

  thaw(host: LabHost): void {
    signal(hostPids(host), 'SIGCONT');
  }

  rsyncProcesses(host: LabHost): number[] {
    return this.processesNamed(host, 'rsync');
  }

  processesNamed(host: LabHost, name: string): number[] {
    return hostPids(host).filter((pid) => processComm(pid) === name);
  }

  async lingeringRsync(host: LabHost): Promise<number[]> {
    const deadline = Date.now() + lingerGraceMs;
    let pids = this.rsyncProcesses(host);
    while (pids.length > 0 && Date.now() < deadline) {
      await sleep(100);
      pids = this.rsyncProcesses(host);
    }
    return pids;
  }

  async addRestrictedAlias(host: LabHost, alias: string, forcedCommand: string): Promise<void> {
    if (!/^[A-Za-z0-9._-]+$/.test(alias)) throw new Error(`relaysync lab: bad alias ${JSON.stringify(alias)}`);
    const key = path.join(this.home, '.ssh', `id_${alias}`);
    await generateKey(key);
    const publicKey = (await readFile(`${key}.pub`, 'utf8')).trim();
    const command = forcedCommand.replaceAll('"', '\\"');
    await appendFile(path.join(host.sshdDir, 'authorized_keys'), `command="${command}",restrict ${publicKey}\n`);
    await appendFile(this.sshConfig, this.hostBlock(alias, host, key));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    const pids = this.hosts.flatMap(hostPids);
    // A frozen host would never see the TERM.
    signal(pids, 'SIGCONT');
    signal(pids, 'SIGTERM');
    const deadline = Date.now() + stopGraceMs;
    while (pids.some(isRunning) && Date.now() < deadline) await sleep(50);
    this.destroy();
  }

  /** Synchronous, so it also runs from the process exit hook. */
  destroy(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    for (const host of this.hosts) signal(hostPids(host), 'SIGKILL');
    this.removeNetwork();
    if (this.root !== '') rmSync(this.root, { recursive: true, force: true });
  }

  private removeNetwork(): void {
    // Deleting the root side of a veth pair deletes both ends at once; a
    // namespace's own interfaces would otherwise disappear asynchronously.
    for (const link of this.links.splice(0)) quietly('ip', ['link', 'del', link]);
    for (const namespace of this.namespaces.splice(0)) quietly('ip', ['netns', 'del', namespace]);
  }
}

/** Brings up one end of a veth pair (and the namespace's loopback) with an address on a /24. */
async function configureEnd(namespace: string, device: string, address: string): Promise<void> {
  await exec('ip', ['-n', namespace, 'addr', 'add', `${address}/24`, 'dev', device]);
  await exec('ip', ['-n', namespace, 'link', 'set', device, 'up']);
  await exec('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
}

async function loopbackPlacements(count: number): Promise<Placement[]> {
  return (await freePorts(count)).map((port) => ({ address: '127.0.0.1', port, namespace: undefined }));
}

/**
 * `argv` (sshd) started with the lab's passwd and shadow over the machine's.
 * `ip netns exec` gives it a mount namespace of its own, so the bind mounts
 * are seen by that sshd and its sessions only.
 */
function withOwnAccounts(root: string, argv: string[]): string[] {
  const accounts = path.join(root, 'accounts');
  const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"';
  return ['sh', '-c', script, 'sh', path.join(accounts, 'passwd'), path.join(accounts, 'shadow'), ...argv];
}

/** The command and arguments that run `argv` on `host`: inside its namespace if it has one. */
function inHost(host: LabHost, argv: string[]): [string, string[]] {
  return host.namespace === undefined
    ? [argv[0]!, argv.slice(1)]
    : ['ip', ['netns', 'exec', host.namespace, ...argv]];
}

/**
 * Every process running on `host`: all of its namespace's; on loopback, the
 * listening sshd, its descendants, and processes whose SSH_CONNECTION names
 * the host's port (those survive their session's end).
 */
function hostPids(host: LabHost): number[] {
  if (host.namespace !== undefined) return parsePids(quietly('ip', ['netns', 'pids', host.namespace]));
  const listener = sshdPid(host);
  const mine = new Set<number>(listener === undefined ? [] : [listener]);
  const parents = new Map<number, number>();
  for (const pid of allPids()) {
    const parent = processParent(pid);
    if (parent !== undefined) parents.set(pid, parent);
    const connection = readProcEntry(pid, 'environ')?.split('\0').find((entry) => entry.startsWith('SSH_CONNECTION='));
    if (connection?.endsWith(` ${host.address} ${host.port}`)) mine.add(pid);
  }
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (!mine.has(pid) && mine.has(parent)) {
        mine.add(pid);
        grown = true;
      }
    }
  }
  return [...mine];
}

function sshdPid(host: LabHost): number | undefined {
  const pid = pidFromFile(path.join(host.sshdDir, 'sshd.pid'));
  return pid !== undefined && isRunning(pid) ? pid : undefined;
}

async function knownHostsLines(host: LabHost): Promise<string> {
  // How OpenSSH records a host: by address, with the port only when it is not 22.
  const pattern = host.port === 22 ? host.address : `[${host.address}]:${host.port}`;
  const publicKeys = (await readdir(host.sshdDir)).filter((name) => /^ssh_host_.*_key\.pub$/.test(name));
  const lines = await Promise.all(
    publicKeys.map(async (name) => {
      const [type, blob] = (await readFile(path.join(host.sshdDir, name), 'utf8')).split(' ');
      return `${pattern} ${type} ${blob}\n`;
    }),
  );
  return lines.join('');
}

async function generateKey(file: string): Promise<void> {
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'relaysync-lab-client', '-f', file]);
}

async function freePorts(count: number): Promise<number[]> {
  // All listeners stay open until every port is known, so no port is handed out twice.
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Removes what labs of test processes that no longer exist left behind (killed runs skip stop()). */
function removeStaleLabs(): void {
  const dead = (pattern: RegExp) => (name: string) => {
    const match = pattern.exec(name);
    return match !== null && !isRunning(Number(match[1]));
  };
  for (const name of readdirSync(os.tmpdir()).filter(dead(tempDirPattern))) {
    const dir = path.join(os.tmpdir(), name);
    // Loopback labs' sshd are found only through their pidfiles.
    for (const host of quietly('ls', [dir]).split('\n').filter((name) => name !== '')) {
      const pid = pidFromFile(path.join(dir, host, 'sshd', 'sshd.pid'));
      if (pid !== undefined && processComm(pid) === 'sshd') signal([pid], 'SIGKILL');
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another user's lab: theirs to remove.
    }
  }
  if (process.getuid?.() !== 0) return;
  const namespaces = quietly('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0]!);
  for (const namespace of namespaces.filter(dead(namespacePattern))) {
    signal(parsePids(quietly('ip', ['netns', 'pids', namespace])), 'SIGKILL');
    quietly('ip', ['netns', 'del', namespace]);
  }
}

/** Runs a command whose failure means there is nothing to look at or clean; returns its output. */
function quietly(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' });
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
