// Opens transports for endpoints. SSH connections are shared per
// user@host:port after ssh_config resolution, so when source and destination
// are on the same host both servers run as two channels of one connection;
// the connection ends when the last transport using it is closed.
import { homedir, userInfo } from 'node:os';
import { LocalTransport } from './local.js';
import type { Transport } from './server-process.js';
import { connectSsh } from './ssh/connect.js';
import { SshConfig, SshConfigError, type ResolvedHost } from './ssh/ssh-config.js';
import { SshConnection, SshTransport } from './ssh/ssh-transport.js';
import { TransportError } from './transport-error.js';

/** Where a server runs: this machine, or a host reached over SSH (user and port as given on the command line). */
export type TransportTarget = { readonly kind: 'local' } | { readonly kind: 'ssh'; readonly host: string; readonly user?: string; readonly port?: number };

export interface TransportPoolOptions {
  /** Defaults to $HOME (os.homedir()). */
  readonly home?: string;
  readonly localUser?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to ~/.ssh/config; null reads none. */
  readonly userConfig?: string | null;
  /** Defaults to /etc/ssh/ssh_config; null reads none. */
  readonly systemConfig?: string | null;
  /** Things the user should know that are not errors (a skipped key, a newly recorded host key). Defaults to stderr. */
  readonly note?: (message: string) => void;
}

interface SharedConnection {
  readonly connection: Promise<SshConnection>;
  users: number;
}

export class TransportPool {
  private config: SshConfig | null = null;
  private readonly connections = new Map<string, SharedConnection>();
  private readonly note: (message: string) => void;

  constructor(private readonly options: TransportPoolOptions = {}) {
    this.note = options.note ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /**
   * A connected, authenticated transport for the target. Rejects with a
   * TransportError whose message says what failed and what to do. Open every
   * endpoint before starting any server, so that a host that fails
   * verification stops the run before anything runs elsewhere.
   */
  async open(target: TransportTarget): Promise<Transport> {
    if (target.kind === 'local') return new LocalTransport();
    const host = this.resolve(target);
    const key = `${host.user}@${host.hostName}:${host.port}`;
    let shared = this.connections.get(key);
    if (shared === undefined) {
      shared = { connection: this.connect(host, target.host), users: 0 };
      this.connections.set(key, shared);
      shared.connection.catch(() => this.connections.delete(key));
    }
    shared.users++;
    const connection = await shared.connection;
    return new SshTransport(target.host, connection, () => this.release(key));
  }

  private resolve(target: { host: string; user?: string; port?: number }): ResolvedHost {
    try {
      this.config ??= SshConfig.load({
        home: this.options.home ?? homedir(),
        localUser: this.options.localUser ?? userInfo().username,
        env: this.options.env ?? process.env,
        userConfig: this.options.userConfig,
        systemConfig: this.options.systemConfig,
      });
      return this.config.resolveHost(target.host, { user: target.user, port: target.port });
    } catch (err) {
      if (err instanceof SshConfigError) throw new TransportError(target.host, 'config', `${target.host}: ${err.message}`);
      throw err;
    }
  }

  private async connect(host: ResolvedHost, label: string): Promise<SshConnection> {
    try {
      return new SshConnection(await connectSsh(host, label, this.note), label);
    } catch (err) {
      throw err instanceof TransportError ? withIgnoredSettings(err, host) : err;
    }
  }

  private async release(key: string): Promise<void> {
    const shared = this.connections.get(key);
    if (shared === undefined || --shared.users > 0) return;
    this.connections.delete(key);
    await (await shared.connection).close();
  }
}

/** A failed connection mentions the ssh_config settings relaysync ignored: one of them may be why. */
function withIgnoredSettings(err: TransportError, host: ResolvedHost): TransportError {
  if (err.reason === 'host-key' || host.ignored.length === 0) return err;
  const listed = host.ignored.map((s) => `${s.keyword} ${s.args.join(' ')} (${s.file} line ${s.line})`);
  return new TransportError(err.host, err.reason, `${err.message}\nNote: relaysync does not act on these ssh_config settings yet: ${listed.join('; ')}.`);
}
