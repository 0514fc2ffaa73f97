// Opens transports for endpoints. With a remote shell (-e/--rsh or
// RSYNC_RSH) each server is its own remote shell process, as with rsync.
// Otherwise relaysync's own SSH client makes one connection per route to
// user@host:port after ssh_config resolution: when source and destination
// are on the same host both servers run as two channels of one connection,
// and two hosts behind one jump host share the connection to it. A
// connection ends when the last transport (or connection) using it is closed.
import { homedir, userInfo } from 'node:os';
import type { Duplex } from 'node:stream';
import { LocalTransport } from './local.js';
import { RshCommandError, splitRshCommand } from './rsh/rsh-command.js';
import { RshTransport } from './rsh/rsh-transport.js';
import type { Transport } from './server-process.js';
import { login } from './ssh/connect.js';
import type { IpFamily } from './ssh/config-keywords.js';
import { formatJumpHop } from './ssh/jump-hosts.js';
import { startProxyCommand } from './ssh/proxy-command.js';
import { SshConfig, SshConfigError, type HostOverrides, type ResolvedHost } from './ssh/ssh-config.js';
import { SshConnection, SshTransport } from './ssh/ssh-transport.js';
import { openTcpSocket } from './ssh/tcp-socket.js';
import { NO_STEPS, type StepLog } from './steps.js';
import { Terminal, type Prompter } from './terminal.js';
import { TransportError } from './transport-error.js';

/** Where a server runs: this machine, or a host reached over SSH (user and port as given on the command line). */
export type TransportTarget = { readonly kind: 'local' } | { readonly kind: 'ssh'; readonly host: string; readonly user?: string; readonly port?: number };

export interface TransportPoolOptions {
  /** Defaults to $HOME (os.homedir()). */
  readonly home?: string;
  readonly localUser?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A remote shell command (rsync's -e); undefined uses RSYNC_RSH from `env`, and without it relaysync's own SSH client. */
  readonly rsh?: string;
  /** An ssh_config file to read instead of the usual ones, like `ssh -F` (`none` reads none). */
  readonly configFile?: string;
  /** -4/-6: the address family for every host, as ssh -4/-6 (through a remote shell named ssh, passed on to it). */
  readonly addressFamily?: IpFamily;
  /** Defaults to ~/.ssh/config; null reads none. */
  readonly userConfig?: string | null;
  /** Defaults to /etc/ssh/ssh_config; null reads none. */
  readonly systemConfig?: string | null;
  /** Where prompts go; defaults to the controlling terminal, if there is one (null: nothing may be asked). */
  readonly terminal?: Prompter | null;
  /** Things the user should know that are not errors (a newly recorded host key). Defaults to stderr. */
  readonly note?: (message: string) => void;
  /** What -v adds: ssh_config settings relaysync does not act on, algorithms it cannot offer. Defaults to nothing. */
  readonly detail?: (message: string) => void;
  /** Each step of reaching a host, for the structured log. Defaults to nothing. */
  readonly step?: StepLog;
}

interface SharedConnection {
  readonly connection: Promise<SshConnection>;
  users: number;
}

/** A stream to a host's sshd, and what the login needs to know about how it was made. */
interface Stream {
  readonly sock: Duplex;
  /** The address connected to, for CheckHostIP; null through a proxy. */
  readonly address: string | null;
  /** How the stream was made, for messages. */
  readonly via: string;
  /** The server has spoken SSH: whoever made the stream is done with the terminal. */
  readonly done: () => void;
  /** A failed login, told in the terms of how the stream was made. */
  readonly explain: (err: TransportError) => Promise<TransportError>;
}

/** A connection and how the route to it is named, so that a loop of jump hosts can be told. */
type Route = readonly string[];

export class TransportPool {
  private config: SshConfig | null = null;
  private readonly connections = new Map<string, SharedConnection>();
  private readonly note: (message: string) => void;
  private readonly detail: (message: string) => void;
  private readonly step: StepLog;
  private readonly env: NodeJS.ProcessEnv;
  private readonly rsh: string | undefined;
  private readonly terminal: Prompter | null;
  /** ssh_config lines already reported under -v, by file and line. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: TransportPoolOptions = {}) {
    this.note = options.note ?? ((message) => process.stderr.write(`${message}\n`));
    this.detail = options.detail ?? (() => {});
    this.step = options.step ?? NO_STEPS;
    this.env = options.env ?? process.env;
    this.rsh = options.rsh ?? (this.env['RSYNC_RSH'] || undefined);
    this.terminal = options.terminal === undefined ? Terminal.open() : options.terminal;
  }

  /**
   * A connected, authenticated transport for the target. Rejects with a
   * TransportError whose message says what failed and what to do. Open every
   * endpoint before starting any server, so that a host that fails
   * verification stops the run before anything runs elsewhere.
   */
  async open(target: TransportTarget): Promise<Transport> {
    if (target.kind === 'local') {
      this.step('local', 'local rsync', { detail: 'the server runs on this machine, no connection' });
      return new LocalTransport();
    }
    if (this.rsh !== undefined) {
      const file = this.options.configFile;
      if (file !== undefined) {
        throw new TransportError(target.host, 'config', `--ssh-config=${file} is for relaysync's own SSH client; with a remote shell, give it to that shell (-e "ssh -F ${file}")`);
      }
      const words = this.rshWords(target.host);
      this.step(target.host, 'remote shell', { command: words, user: target.user ?? null });
      return new RshTransport(words, target.host, target.user, this.terminal, this.options.addressFamily);
    }
    const host = this.resolve(target.host, { user: target.user, port: target.port, addressFamily: this.options.addressFamily });
    const key = await this.acquire(host, target.host, []);
    const connection = await this.connections.get(key)!.connection;
    return new SshTransport(target.host, host.user, connection, () => this.release(key));
  }

  private rshWords(label: string): string[] {
    try {
      return splitRshCommand(this.rsh!);
    } catch (err) {
      if (err instanceof RshCommandError) throw new TransportError(label, 'config', `${label}: ${err.message}`);
      throw err;
    }
  }

  private resolve(alias: string, overrides: HostOverrides): ResolvedHost {
    try {
      this.config ??= SshConfig.load({
        home: this.options.home ?? homedir(),
        localUser: this.options.localUser ?? userInfo().username,
        env: this.env,
        configFile: this.options.configFile,
        userConfig: this.options.userConfig,
        systemConfig: this.options.systemConfig,
      });
      return this.config.resolveHost(alias, overrides);
    } catch (err) {
      if (err instanceof SshConfigError) throw new TransportError(alias, 'config', `${alias}: ${err.message}`);
      throw err;
    }
  }

  /** Takes a share of the connection for this host's route, making it if needed; returns its key. */
  private async acquire(host: ResolvedHost, label: string, route: Route): Promise<string> {
    const key = routeKey(host);
    if (route.includes(key)) {
      throw new TransportError(label, 'config', `${label}: ProxyJump loops: ${[...route, key].join(' -> ')}; a Host * ProxyJump also applies to the jump host itself (write Host * !bastion)`);
    }
    let shared = this.connections.get(key);
    if (shared === undefined) {
      shared = { connection: this.connect(host, label, [...route, key]), users: 0 };
      this.connections.set(key, shared);
      shared.connection.catch(() => this.connections.delete(key));
    }
    shared.users++;
    await shared.connection;
    return key;
  }

  private async release(key: string): Promise<void> {
    const shared = this.connections.get(key);
    if (shared === undefined || --shared.users > 0) return;
    this.connections.delete(key);
    await (await shared.connection).close();
  }

  private async connect(host: ResolvedHost, label: string, route: Route): Promise<SshConnection> {
    this.reportIgnored(host, label);
    this.step(label, 'connecting', { hostName: host.hostName, port: host.port, user: host.user, route: host.route.kind });
    try {
      const { sock, address, via, done, explain } = await this.openStream(host, label, route);
      this.step(label, 'connected', { address, via: via.trim() || null });
      try {
        const client = await login({ host, label, sock, address, via, terminal: this.terminal, note: this.note, detail: this.detail, step: this.step, serverSpoke: done });
        return new SshConnection(client, label, host);
      } catch (err) {
        throw err instanceof TransportError ? await explain(err) : err;
      }
    } catch (err) {
      throw err instanceof TransportError ? withIgnoredSettings(err, host) : err;
    }
  }

  /** The stream to the host's sshd, by the route its configuration gives. */
  private async openStream(host: ResolvedHost, label: string, route: Route): Promise<Stream> {
    const asIs = async (err: TransportError) => err;
    switch (host.route.kind) {
      case 'direct': {
        const socket = await openTcpSocket(host, label);
        return { sock: socket, address: socket.remoteAddress ?? null, via: '', done: () => {}, explain: asIs };
      }
      case 'command': {
        const proxy = startProxyCommand(host.route.command, this.env);
        // The command may ask for a password of its own (ssh -W): it has the terminal until the server speaks.
        let spoke = (): void => {};
        this.terminal?.lend(Promise.race([new Promise<void>((resolve) => (spoke = resolve)), proxy.exited]));
        const command = host.route.command.replace(/^exec /, '');
        return {
          sock: proxy.stream,
          address: null,
          via: ` (through ProxyCommand ${command})`,
          done: () => spoke(),
          // Without a handshake, how the command ended says more than what the SSH client saw.
          explain: async (err) => {
            const ended = await proxy.stop();
            if (err.reason !== 'handshake' && err.reason !== 'timeout') return err;
            return new TransportError(label, err.reason, `${label}: the ProxyCommand ${ended} before the SSH login was done: ${command}`);
          },
        };
      }
      case 'jump': {
        const hops = host.route.hops;
        const last = hops.at(-1)!;
        const jumpHost = this.resolve(last.host, { user: last.user, port: last.port, jump: hops.length > 1 ? hops.slice(0, -1) : undefined });
        const jumpKey = await this.acquire(jumpHost, `${last.host} (jump host for ${label})`, route);
        const jump = await this.connections.get(jumpKey)!.connection;
        try {
          const channel = await jump.forwardOut(host.hostName, host.port);
          // The connection through the jump host holds its share until it ends.
          channel.once('close', () => void this.release(jumpKey));
          return { sock: channel, address: null, via: ` (through jump host ${formatJumpHop(last)})`, done: () => {}, explain: asIs };
        } catch (err) {
          await this.release(jumpKey);
          throw err;
        }
      }
    }
  }

  /** Under -v, each ssh_config line relaysync does not act on is named once, with the reason. */
  private reportIgnored(host: ResolvedHost, label: string): void {
    for (const s of host.ignored) {
      const where = `${s.file}:${s.line}`;
      if (this.reported.has(where)) continue;
      this.reported.add(where);
      this.detail(`${label}: ignoring "${s.keyword} ${s.args.join(' ')}" (${s.file} line ${s.line}): ${s.reason}`);
    }
  }
}

/** Connections are shared by user, host, port and the way there. */
function routeKey(host: ResolvedHost): string {
  const target = `${host.user}@${host.hostName}:${host.port}`;
  switch (host.route.kind) {
    case 'direct':
      return target;
    case 'command':
      return `${target} via [${host.route.command}]`;
    case 'jump':
      return `${target} via ${host.route.hops.map(formatJumpHop).join(',')}`;
  }
}

/** A failed connection mentions the ssh_config settings relaysync ignored: one of them may be why. */
function withIgnoredSettings(err: TransportError, host: ResolvedHost): TransportError {
  if (err.reason === 'host-key' || err.reason === 'interrupted' || host.ignored.length === 0) return err;
  const listed = host.ignored.map((s) => `${s.keyword} ${s.args.join(' ')} (${s.file} line ${s.line}: ${s.reason})`);
  return new TransportError(err.host, err.reason, `${err.message}\nNote: relaysync does not act on these ssh_config settings: ${listed.join('; ')}.`);
}
