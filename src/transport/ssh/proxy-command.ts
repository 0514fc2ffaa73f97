// ProxyCommand as ssh runs it (sshconnect.c ssh_proxy_connect): the user's
// shell runs `exec COMMAND` with the SSH stream on its standard input and
// output; its standard error goes to ours, so its own messages and prompts
// reach the user. It ends when the connection does; if the login fails it
// is stopped, as ssh stops it, and says how it ended.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

export interface ProxyStream {
  readonly stream: Duplex;
  /** Settles when the command has exited, with how: `exited with status 3`. */
  readonly exited: Promise<string>;
  /** Stops the command (if it still runs) and says how it ended. */
  stop(): Promise<string>;
}

/** Starts the (already expanded) command. */
export function startProxyCommand(command: string, env: NodeJS.ProcessEnv): ProxyStream {
  const shell = env['SHELL'] || '/bin/sh';
  const child = spawn(shell, ['-c', command], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  // Writing after the command is gone fails with EPIPE; `exited` says why it went.
  child.stdin.on('error', () => {});
  stream.on('error', () => {});
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`could not be started with ${shell}: ${err.message}`));
    child.once('exit', (code, signal) => resolve(signal === null ? `exited with status ${code}` : `was ended by ${signal}`));
  });
  // The SSH client sees the connection close once the command is gone and all it wrote has been read.
  child.once('close', () => stream.destroy());
  return {
    stream,
    exited,
    stop: () => {
      // A command that already exited keeps the status it exited with.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
