// Reaches a host through an external remote shell (-e/--rsh or RSYNC_RSH),
// run as rsync runs it: one process per server, with the server's protocol
// on its standard input and output and the shell's own messages on its
// standard error. It stays in relaysync's process group, as under rsync, so
// that OpenSSH can ask for passwords on the terminal; while it may be
// asking (until the server's first byte arrives), no other prompt is shown.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { Prompter } from '../terminal.js';
import type { ExitStatus, ServerCommand, ServerProcess, Transport } from '../server-process.js';
import type { IpFamily } from '../ssh/config-keywords.js';
import { TransportError } from '../transport-error.js';
import { rshArgv } from './rsh-command.js';

export class RshTransport implements Transport {
  private readonly running = new Set<ServerProcess>();
  readonly login: { readonly user: string | undefined };

  constructor(
    /** The remote shell command, split into words (splitRshCommand). */
    private readonly shell: readonly string[],
    /** The host as the user named it, passed to the remote shell as is. */
    readonly label: string,
    private readonly user: string | undefined,
    private readonly terminal: Prompter | null,
    /** -4/-6, passed on to ssh. */
    private readonly family?: IpFamily,
  ) {
    this.login = { user };
  }

  async start(command: ServerCommand): Promise<ServerProcess> {
    const [program, ...args] = rshArgv(this.shell, this.label, this.user, command, this.family);
    const child = spawn(program!, args, { stdio: 'pipe' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) =>
        reject(new TransportError(this.label, 'session', `${this.label}: cannot run the remote shell "${program}": ${err.message}`)),
      );
    });

    // The server's output goes through a pass-through (which keeps backpressure) so that its first byte can be seen without taking it.
    const output = new PassThrough();
    child.stdout.pipe(output);
    const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    if (this.terminal !== null) {
      this.terminal.lend(Promise.race([new Promise((resolve) => child.stdout.once('data', resolve)), exited]));
    }
    // Writing after the shell is gone fails (EPIPE); `exited` says why it went.
    child.stdin.on('error', () => {});
    const signal = (name: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
    };
    const server: ServerProcess = {
      label: this.label,
      output,
      errors: child.stderr,
      input: child.stdin,
      exited,
      // Ending the remote shell ends the session, which ends the server on the host.
      stop: () => {
        signal('SIGTERM');
        child.stdin.end();
      },
      kill: () => signal('SIGKILL'),
    };
    this.running.add(server);
    void exited.then(() => this.running.delete(server));
    return server;
  }

  /** Stops any server still running and waits for it to exit. */
  async close(): Promise<void> {
    const servers = [...this.running];
    for (const server of servers) server.stop();
    await Promise.all(servers.map((s) => s.exited));
  }
}
