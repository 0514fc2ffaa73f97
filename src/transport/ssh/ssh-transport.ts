// rsync servers as exec channels on one SSH connection. The channel is handed
// to the broker as it is: its write() returns false when the SSH window and
// local buffer are full and emits 'drain' later, and pausing it stops the
// window adjustments, so the remote server stops sending. That is the
// backpressure the broker relies on for flat memory, so only stderr is
// wrapped, to add a last line naming the host when the connection is lost.
import { PassThrough, type Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { renderRemoteCommand } from '../../plan/remote-quote.js';
import type { ExitStatus, ServerCommand, ServerProcess, Transport } from '../server-process.js';
import { TransportError } from '../transport-error.js';
import type { SshClient } from './connect.js';
import type { ResolvedHost } from './ssh-config.js';

/** One authenticated connection; any number of servers run on it as channels. */
export class SshConnection {
  private closed = false;
  private closing = false;
  /** Why the connection went away when nobody closed it, for the servers that were running. */
  private lost: string | null = null;
  /** How to settle each server that has not exited when the connection closes, with its last word if it was lost. */
  private readonly pending = new Map<ServerProcess, () => void>();
  /** Settles once the connection is closed, for whoever depends on it (a connection through it as jump host). */
  readonly ended: Promise<void>;

  constructor(
    private readonly client: SshClient,
    private readonly label: string,
    host: ResolvedHost,
  ) {
    client.on('error', (err: Error & { level?: string }) => {
      this.lost ??=
        err.level === 'client-timeout'
          ? `no answer from ${host.hostName} to ${host.serverAliveCountMax} keepalives sent ${host.serverAliveInterval} s apart ` +
            '(ServerAliveInterval, ServerAliveCountMax): the connection is dead'
          : `the connection to ${host.hostName} port ${host.port} failed: ${err.message}`;
    });
    this.ended = new Promise((resolve) =>
      client.once('close', () => {
        this.closed = true;
        if (!this.closing) this.lost ??= `the connection to ${host.hostName} port ${host.port} was closed by the host`;
        for (const end of [...this.pending.values()]) end();
        resolve();
      }),
    );
  }

  /** Runs `cmd` through the remote login shell: no pty, no agent or X11 forwarding. */
  start(cmd: ServerCommand, label: string): Promise<ServerProcess> {
    if (this.closed) return Promise.reject(this.closedError(label));
    return new Promise((resolve, reject) => {
      this.client.exec(renderRemoteCommand(cmd), (err, channel) => {
        if (err) {
          reject(new TransportError(label, 'session', `${label}: cannot start ${cmd.program} there: ${err.message}`));
        } else {
          resolve(this.serverOn(channel, label));
        }
      });
    });
  }

  /** A stream to `host:port` as this host sees it (a jump host's direct-tcpip channel, what ssh -W does). */
  forwardOut(host: string, port: number): Promise<Duplex> {
    if (this.closed) return Promise.reject(this.closedError(this.label));
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        if (err) {
          reject(new TransportError(this.label, 'unreachable', `${this.label}: as a jump host, cannot reach ${host} port ${port}: ${err.message}`));
        } else {
          resolve(channel);
        }
      });
    });
  }

  /** Stops the servers still running and ends the connection. */
  close(): Promise<void> {
    for (const server of this.pending.keys()) server.stop();
    if (!this.closed) {
      this.closing = true;
      this.client.end();
    }
    return this.ended;
  }

  private closedError(label: string): TransportError {
    return new TransportError(label, 'disconnected', `${label}: the SSH connection to ${this.label} is closed${this.lost ? `: ${this.lost}` : ''}`);
  }

  private serverOn(channel: ClientChannel, label: string): ServerProcess {
    let settle!: (status: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => (settle = resolve));
    const errors = new PassThrough();
    channel.stderr.pipe(errors, { end: false });
    let errorsOpen = true;
    const endErrors = (lastWord: string | null): void => {
      if (!errorsOpen) return;
      errorsOpen = false;
      channel.stderr.unpipe(errors);
      if (lastWord !== null) errors.write(lastWord);
      errors.end();
    };
    channel.stderr.once('end', () => endErrors(null));
    const server: ServerProcess = {
      label,
      output: channel,
      errors,
      input: channel,
      exited,
      stop: () => stopChannel(channel),
      // Closing the channel makes sshd close the process's pipes, which ends an rsync that ignored TERM.
      kill: () => channel.close(),
    };
    this.pending.set(server, () => {
      // Its stderr ends by itself once read; only a lost connection has something to add.
      if (this.lost !== null) endErrors(`${label}: ${this.lost}\n`);
      settle({ code: null, signal: null });
    });
    void exited.then(() => this.pending.delete(server));

    channel.once('exit', (code: number | null, signal?: string) => settle({ code, signal: code === null ? (signal ?? null) : null }));
    // A channel closed without an exit status (the server went away) has no code to give.
    channel.once('close', () => {
      endErrors(null);
      settle({ code: null, signal: null });
    });
    return server;
  }
}

/** One user's handle on a shared connection. */
export class SshTransport implements Transport {
  private released = false;

  constructor(
    readonly label: string,
    private readonly connection: SshConnection,
    private readonly release: () => Promise<void>,
  ) {}

  start(command: ServerCommand): Promise<ServerProcess> {
    return this.connection.start(command, this.label);
  }

  /** Releases this handle; the connection ends, stopping its servers, when no handle uses it. */
  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.release();
  }
}

/**
 * The TERM signal request, then end of input. ssh2's signal() refuses once
 * our side of the channel is ended, but the remote process may still be
 * running then, so the request is sent on the open channel directly.
 */
function stopChannel(channel: ClientChannel): void {
  const internal = channel as unknown as {
    outgoing: { id: number; state: string };
    _client: { _protocol: { signal(id: number, name: string): void } };
  };
  if (internal.outgoing.state === 'open' || internal.outgoing.state === 'eof') {
    internal._client._protocol.signal(internal.outgoing.id, 'TERM');
  }
  channel.end();
}
