// Serves a local path by running `rsync --server ...` on this machine as a
// child process, so local ends go through the same broker as remote ones.
//
// Arguments reach the program unquoted (no shell parses them). The program
// itself is shell text like rsync's --rsync-path, so `sudo rsync` works:
// anything but a plain word runs as `/bin/sh -c '<program> "$@"' sh <args>`.
//
// The server runs in a session and process group of its own, as sshd runs a
// remote command, and stop() signals that whole group: a shell in front of
// rsync does not always exec it, and TERM must reach rsync all the same.
// Like a remote `sudo rsync`, a local one then has no terminal to ask for a
// password on (sudo needs NOPASSWD for rsync, as rsync's own docs advise).
//
// A program that cannot be started does not reject anything: `exited`
// resolves with 127 (not found) or 126 (any other failure), the codes a
// shell uses, and the reason is written to `errors`, where the broker shows a
// server's own complaints. A remote `sh: rsync: not found` reads the same way.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { commandArguments, type ExitStatus, type ServerCommand, type ServerProcess, type Transport } from './server-process.js';

/** A program name the shell would take literally, so it can be run without one. */
const PLAIN_PROGRAM = /^[A-Za-z0-9_/.+,:@%=-]+$/;

export class LocalTransport implements Transport {
  readonly label = 'local';
  private readonly running = new Set<ServerProcess>();

  async start(command: ServerCommand): Promise<ServerProcess> {
    const server = startLocalServer(this.label, command);
    this.running.add(server);
    void server.exited.then(() => this.running.delete(server));
    return server;
  }

  /** Stops any server still running and waits for it to exit. */
  async close(): Promise<void> {
    const servers = [...this.running];
    for (const server of servers) server.stop();
    await Promise.all(servers.map((s) => s.exited));
  }
}

function startLocalServer(label: string, command: ServerCommand): ServerProcess {
  const args = commandArguments(command);
  const child: ChildProcessByStdio<Writable, Readable, Readable> = PLAIN_PROGRAM.test(command.program)
    ? spawn(command.program, args, { stdio: 'pipe', detached: true })
    : spawn('/bin/sh', ['-c', `${command.program} "$@"`, 'sh', ...args], { stdio: 'pipe', detached: true });

  const errors = new PassThrough();
  child.stderr.pipe(errors, { end: false });

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err: NodeJS.ErrnoException) => {
      // Only a process that never started has no pid; other errors do not end it.
      if (child.pid !== undefined) return;
      errors.write(`${label}: cannot start ${command.program}: ${err.message}\n`);
      resolve({ code: err.code === 'ENOENT' ? 127 : 126, signal: null });
    });
  });
  let groupAlive = true;
  const stderrClosed = new Promise((resolve) => child.stderr.once('close', resolve));
  void Promise.all([stderrClosed, exited]).then(() => {
    // Nothing in the group holds the server's stderr any more: the group is gone, and its id may be reused.
    groupAlive = false;
    errors.end();
  });

  // Writing to a pipe whose reader has gone fails (EPIPE); `exited` says why it went.
  child.stdin.on('error', () => {});
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (!groupAlive || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: everything in the group has exited already.
    }
  };

  return {
    label,
    output: child.stdout,
    errors,
    input: child.stdin,
    exited,
    stop() {
      signalGroup('SIGTERM');
      child.stdin.end();
    },
    kill() {
      signalGroup('SIGKILL');
    },
  };
}
