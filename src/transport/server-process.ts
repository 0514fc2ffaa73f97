// The contract between the broker and whatever starts an rsync server:
// an SSH channel, an external remote shell, or a local child process.
import type { Readable, Writable } from 'node:stream';

/** Which end of the relay a server plays: the source runs `rsync --server --sender`. */
export type Side = 'source' | 'dest';

/** What a server is started with; the transport renders it for its medium. */
export interface ServerCommand {
  /** The rsync program on that host (`rsync` unless --rsync-path says otherwise);
   * like rsync's --rsync-path it is shell text, so `sudo rsync` works. */
  readonly program: string;
  /** Arguments before the `.` separator, unescaped: `--server`, `--sender`, `-vlogDtpre.iLsfxCIvu`, ... */
  readonly options: readonly string[];
  /** Path operands after the `.` separator, unescaped, exactly as the user typed them. */
  readonly paths: readonly string[];
  /** Which role the server plays; remote quoting differs by role as in rsync. */
  readonly side: Side;
  /** -R was given: remote quoting of a leading `~` depends on it, as in rsync. */
  readonly relativePaths: boolean;
  /** How the arguments are quoted for a remote shell (rsync's --old-args and friends); rsync's default when absent. */
  readonly quoting?: RemoteQuoting;
  /**
   * With --secluded-args (-s) the arguments after the option cluster do not
   * go on the command line, where a remote shell would parse them: the
   * server reads them from its input before the protocol starts. Then
   * `paths` is empty and these are the rest, `.` and the paths included.
   */
  readonly secludedArgs?: readonly string[];
}

/** The arguments a server is started with: its options, then `.` and the paths, unless those are secluded. */
export function commandArguments(command: ServerCommand): string[] {
  return command.secludedArgs ? [...command.options] : [...command.options, '.', ...command.paths];
}

/** How rsync quotes the arguments a remote shell gets. */
export interface RemoteQuoting {
  /** --old-args: 1 leaves paths to the shell, 2 leaves everything to it. */
  readonly oldArgs: number;
  /** rsync trusts the names a sender returns (--old-args, --files-from on a host): a leading ~ is left to the shell too. */
  readonly trustSenderArgs: boolean;
}

export interface ExitStatus {
  /** Exit code, or null when the process died of a signal or the connection dropped. */
  readonly code: number | null;
  readonly signal: string | null;
}

/** One running rsync server. */
export interface ServerProcess {
  /** How messages name this host, e.g. `web04` or `local`. */
  readonly label: string;
  /** The server's stdout: the protocol stream. Supports pause()/resume() for backpressure. */
  readonly output: Readable;
  /** The server's stderr: text it prints outside the protocol. */
  readonly errors: Readable;
  /** The server's stdin. write() returning false means: wait for 'drain'. */
  readonly input: Writable;
  /** Settles when the server has exited (or its connection is gone). Never rejects. */
  readonly exited: Promise<ExitStatus>;
  /** Asks the server to stop now: a TERM signal where the medium can deliver one, then end of input. */
  stop(): void;
  /** Ends a server that did not stop: SIGKILL for a local process, closing the channel for a remote one. */
  kill(): void;
}

/** A way to reach one host: one SSH connection, one remote shell, or this machine. */
export interface Transport {
  /** How messages name this host. */
  readonly label: string;
  start(command: ServerCommand): Promise<ServerProcess>;
  /** Closes the connection after every server started through it has been stopped. */
  close(): Promise<void>;
}
