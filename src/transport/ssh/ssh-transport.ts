// rsync servers as exec channels on one SSH connection. The channel is handed
// to the broker as it is: its write() returns false when the SSH window and
// local buffer are full and emits 'drain' later, and pausing it stops the
// window adjustments, so the remote server stops sending. That is the
// backpressure the broker relies on for flat memory, so nothing is wrapped.
import type { ClientChannel } from 'ssh2';
import { renderRemoteCommand } from '../../plan/remote-quote.js';
import type { ExitStatus, ServerCommand, ServerProcess, Transport } from '../server-process.js';
import { TransportError } from '../transport-error.js';
import type { SshClient } from './connect.js';

/** One authenticated connection; any number of servers run on it as channels. */
export class SshConnection {
  private closed = false;
  /** Resolvers of servers that have not exited, so a dropped connection can settle them. */
  private readonly pending = new Map<ServerProcess, () => void>();

  constructor(
    private readonly client: SshClient,
    private readonly label: string,
  ) {
    client.on('error', () => {
      // Reported through `exited` ({code: null}) of the servers that were running.
    });
    client.once('close', () => {
      this.closed = true;
      for (const settle of this.pending.values()) settle();
    });
  }

  /** Runs `cmd` through the remote login shell: no pty, no agent or X11 forwarding. */
  start(cmd: ServerCommand, label: string): Promise<ServerProcess> {
    if (this.closed) {
      return Promise.reject(new TransportError(label, 'disconnected', `${label}: the SSH connection to ${this.label} is closed`));
    }
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

  /** Stops the servers still running and ends the connection. */
  close(): Promise<void> {
    for (const server of this.pending.keys()) server.stop();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
    });
  }

  private serverOn(channel: ClientChannel, label: string): ServerProcess {
    let settle!: (status: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => (settle = resolve));
    const server: ServerProcess = {
      label,
      output: channel,
      errors: channel.stderr,
      input: channel,
      exited,
      stop: () => stopChannel(channel),
      // Closing the channel makes sshd close the process's pipes, which ends an rsync that ignored TERM.
      kill: () => channel.close(),
    };
    this.pending.set(server, () => settle({ code: null, signal: null }));
    void exited.then(() => this.pending.delete(server));

    channel.once('exit', (code: number | null, signal?: string) => settle({ code, signal: code === null ? (signal ?? null) : null }));
    // A channel closed without an exit status (the server went away) has no code to give.
    channel.once('close', () => settle({ code: null, signal: null }));
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
