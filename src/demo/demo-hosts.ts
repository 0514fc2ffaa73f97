// The demo's two hosts: sshd started as the current user on loopback ports,
// each in a directory of its own, with a key made for the demo, and an
// ssh_config, known_hosts and identity of the demo's own, so that nothing of
// the user's ~/.ssh is read or written. stop() ends both sshd (and the
// sessions they run); stopNow() does the same synchronously for an exit hook.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKey, knownHostsLines, provisionHost, sshdArguments } from './sshd-host.js';

export interface DemoHost {
  /** Its name in the demo's ssh_config. */
  readonly alias: string;
  readonly port: number;
  /** Where its files are. */
  readonly data: string;
}

export interface DemoHostsOptions {
  /** The demo's directory; every file of the hosts goes under it. */
  readonly root: string;
  readonly sshd: string;
  /** Who logs in: the user running the demo. */
  readonly user: string;
}

const ADDRESS = '127.0.0.1';
/** Tries with a new port when another program took the one chosen. */
const PORT_ATTEMPTS = 3;
/** How long sshd gets to listen, and to exit when told. */
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, ADDRESS);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Each sshd leads a process group: its sessions go with it.
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export class DemoHosts {
  private readonly pids: number[] = [];
  private readonly hosts: DemoHost[] = [];
  /** The ssh_config relaysync reads (--ssh-config). */
  readonly sshConfig: string;
  private readonly clientDir: string;

  constructor(private readonly o: DemoHostsOptions) {
    this.clientDir = path.join(o.root, 'client');
    this.sshConfig = path.join(this.clientDir, 'ssh_config');
  }

  /** Starts the two hosts, then writes the client's files that reach them. */
  async start(source: string, dest: string): Promise<[DemoHost, DemoHost]> {
    await mkdir(this.clientDir, { recursive: true, mode: 0o700 });
    const key = path.join(this.clientDir, 'id_ed25519');
    await generateKey(key, 'relaysync-demo');
    const known: string[] = [];
    for (const alias of [source, dest]) {
      const dir = path.join(this.o.root, alias);
      const host = { alias, port: await this.startSshd(path.join(dir, 'sshd'), `${key}.pub`), data: path.join(dir, 'data') };
      await mkdir(host.data, { recursive: true });
      this.hosts.push(host);
      known.push(await knownHostsLines(path.join(dir, 'sshd'), ADDRESS, host.port));
    }
    const knownHosts = path.join(this.clientDir, 'known_hosts');
    await writeFile(knownHosts, known.join(''), { mode: 0o600 });
    const blocks = this.hosts.map((h) =>
      [
        `Host ${h.alias}`,
        `  HostName ${ADDRESS}`,
        `  Port ${h.port}`,
        `  User ${this.o.user}`,
        `  IdentityFile ${key}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        '',
      ].join('\n'),
    );
    await writeFile(this.sshConfig, blocks.join(''), { mode: 0o600 });
    return [this.hosts[0]!, this.hosts[1]!];
  }

  /** Provisions a host in `dir` and starts its sshd on a free port; returns the port. */
  private async startSshd(dir: string, publicKey: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      await provisionHost({ dir, address: ADDRESS, port, authorizedKeys: [publicKey], sshd: this.o.sshd });
      // Another program may take the port between freePort() and sshd's bind.
      if (await this.launch(dir, port, attempt < PORT_ATTEMPTS)) return port;
    }
  }

  /** Starts sshd in `dir`; true once it listens, false when its port was taken and `retry` allows another. */
  private async launch(dir: string, port: number, retry: boolean): Promise<boolean> {
    const log = path.join(dir, 'sshd.log');
    // In a process group of its own, so that Ctrl-C reaches relaysync alone, which then stops it.
    const child = spawn(this.o.sshd, ['-D', ...sshdArguments(dir, log)], { detached: true, stdio: 'ignore' });
    if (child.pid !== undefined) this.pids.push(child.pid);
    child.unref();
    const exited = once(child, 'exit').then(() => true);
    const deadline = Date.now() + START_TIMEOUT_MS;
    // sshd writes its pidfile once it listens.
    while (!existsSync(path.join(dir, 'sshd.pid'))) {
      const ended = await Promise.race([exited, sleep(50).then(() => false)]);
      if (!ended && Date.now() < deadline) continue;
      const said = await readFile(log, 'utf8').catch(() => '');
      if (ended && retry && /Address already in use/.test(said)) return false;
      throw new Error(`sshd did not start on ${ADDRESS} port ${port}${said === '' ? '' : `; its log says:\n${said.trimEnd()}`}`);
    }
    return true;
  }

  /** Ends both sshd and their sessions, and waits for them to go. */
  async stop(): Promise<void> {
    for (const pid of this.pids) signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (this.pids.some(running) && Date.now() < deadline) await sleep(50);
    this.stopNow();
  }

  /** Kills whatever of the hosts still runs. Synchronous, for an exit hook. */
  stopNow(): void {
    for (const pid of this.pids.splice(0)) signalGroup(pid, 'SIGKILL');
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
