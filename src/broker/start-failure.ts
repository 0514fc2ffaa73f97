// Why a run ended before the relay started, in words a user can act on.
// A server that never began rsync's protocol is told apart by how it ended
// and what it said: its rsync is not there (127) or cannot run (126), a
// login script printed text before rsync started (rsync's "is your shell
// clean?"), or something refused the command line it was sent (a forced
// command such as rrsync, or that rsync itself). Each such server is named
// with its side, and the run ends with the first one's exit code.
import { RERR } from '../protocol/constants.js';
import type { ServerCommand, Side, Transport } from '../transport/server-process.js';
import { isGreeting } from './handshake.js';
import { RelayError } from './relay-error.js';
import { hostAndSide } from './side-labels.js';

/** What is known of one server once the start has failed. */
export interface StartedServer {
  readonly transport: Transport;
  readonly command: ServerCommand;
  /** The command line its host's shell was given. */
  readonly sent: string;
  /** Everything it wrote on its output. */
  readonly received: Buffer;
  /** The first lines it wrote on its stderr. */
  readonly stderr: readonly string[];
  /** Its exit code once stopped; null when it ended without one. */
  readonly exitCode: number | null | undefined;
}

/** How many of its stderr lines a message quotes at most. */
export const QUOTED_STDERR_LINES = 4;
/** How many bytes of what a server printed a message shows. */
const SHOWN_BYTES = 96;

const SIDES: readonly Side[] = ['source', 'dest'];

/** Ctrl-C before both servers had started: the run ends as rsync's does on a signal. */
export function interruptedBeforeStart(): RelayError {
  return new RelayError('interrupted before the transfer started', RERR.SIGNAL);
}

/** Turns a failure before the relay started into a message that says what happened, where, and what to do. */
export function explainStartFailure(
  err: unknown,
  servers: Partial<Record<Side, StartedServer>>,
  run: { readonly interrupted: boolean; /** The handshake was over: both servers had started. */ readonly settled: boolean },
): RelayError {
  if (run.interrupted) return interruptedBeforeStart();
  const explained = run.settled ? [] : SIDES.flatMap((side) => {
    const server = servers[side];
    const why = server && notStarted(server, side);
    return why ? [{ side, ...why }] : [];
  });
  if (explained.length > 0) {
    const [first] = explained;
    return new RelayError(explained.map((e) => e.message).join('\nrelaysync: '), first!.code, explained.length === 1 ? first!.side : undefined);
  }
  if (err instanceof RelayError) {
    const side = err.side;
    const code = side ? servers[side]?.exitCode : undefined;
    if (side && typeof code === 'number' && code !== 0 && err.exitCode === RERR.STREAMIO) {
      return new RelayError(`${err.message} (its rsync exited with code ${code}; see its messages above)`, code, side);
    }
    return err;
  }
  return new RelayError((err as Error).message, RERR.STARTCLIENT);
}

/** Why this server did not start rsync's protocol, or undefined when it did (or was stopped before it could). */
function notStarted(s: StartedServer, side: Side): { message: string; code: number } | undefined {
  const where = hostAndSide(s.transport.login ? s.transport.label : 'this machine', side);
  const program = s.command.program;
  const given = program !== 'rsync';
  const said = s.stderr.length > 0 ? ` (it said: ${quoteLines(s.stderr)})` : '';
  if (s.exitCode === RERR.CMD_NOTFOUND) {
    const message = given
      ? `${JSON.stringify(program)} was not found on ${where}${said}: correct the path given with --${side}-rsync-path or --rsync-path`
      : `rsync is not installed on ${where}, or not on ${whosePath(s.transport)}${said}: ` +
        `install rsync there (apt-get install rsync, dnf install rsync, ...), or give its full path with --${side}-rsync-path=PATH (--rsync-path=PATH sets it for both hosts)`;
    return { message, code: RERR.CMD_NOTFOUND };
  }
  if (s.exitCode === RERR.CMD_FAILED) {
    return {
      message: `${JSON.stringify(program)} cannot be run on ${where}${said}: point --${side}-rsync-path (or --rsync-path) at the rsync program there`,
      code: RERR.CMD_FAILED,
    };
  }
  if (isGreeting(s.received)) return undefined;
  // A server stopped (by relaysync, when the other side failed) before it said anything.
  if (s.received.length === 0 && (s.exitCode === null || s.exitCode === undefined || s.exitCode === RERR.STREAMIO) && s.stderr.length === 0) return undefined;
  // rsync started after the text and ended only because relaysync closed its input: a login script printed it.
  if (s.received.length > 0 && s.exitCode === RERR.STREAMIO) return { message: uncleanShell(s, where, given), code: RERR.PROTOCOL };
  return { message: refused(s, side, where), code: s.exitCode || RERR.STREAMIO };
}

/** Where the program name is looked up: the login shell's PATH on a host, relaysync's own here. */
function whosePath(t: Transport): string {
  if (!t.login) return 'the PATH relaysync runs with';
  const user = t.login.user;
  return `the PATH ${user === undefined ? "your login's" : `user ${user}'s`} non-interactive shell has there`;
}

function uncleanShell(s: StartedServer, where: string, given: boolean): string {
  const shown = `It printed ${quoteBytes(beforeGreeting(s.received))}.`;
  const login = s.transport.login;
  if (!login) {
    return `the command that starts rsync on ${where}, ${JSON.stringify(s.command.program)}, printed text before rsync started, so rsync's protocol could not begin. ${shown} Make it print nothing on its standard output.`;
  }
  const user = login.user;
  const whose = user === undefined ? `the user you log in as on ${s.transport.label}` : `user ${user} on ${s.transport.label}`;
  const check = `ssh ${user === undefined ? '' : `${user}@`}${s.transport.label} true`;
  return (
    `${where} printed text before rsync started, so rsync's protocol could not begin (rsync calls this "protocol version mismatch -- is your shell clean?"). ${shown} ` +
    `A login script of ${whose} prints it for non-interactive shells: ~/.bashrc (bash reads it for commands run over SSH), ~/.zshenv (zsh), ` +
    `~/.cshrc or ~/.tcshrc (csh, tcsh), or a file one of them reads, such as /etc/bash.bashrc${given ? `, or the --${s.command.side}-rsync-path command itself` : ''}. ` +
    `Make it print nothing unless the shell is interactive (start ~/.bashrc with: [[ $- == *i* ]] || return); "${check}" must print nothing.`
  );
}

function refused(s: StartedServer, side: Side, where: string): string {
  const answers = [
    ...(s.received.length > 0 ? [`printed ${quoteBytes(s.received)}`] : []),
    ...(s.stderr.length > 0 ? [`said ${quoteLines(s.stderr)}`] : []),
  ];
  const answered = answers.length > 0 ? answers.join(' and ') : 'answered nothing';
  const ended = s.exitCode === null || s.exitCode === undefined ? 'without an exit code' : `with exit code ${s.exitCode}`;
  const head = `${where} did not start rsync: it was sent the command\n    ${s.sent}\nand ${answered}, ending ${ended}.`;
  if (!s.transport.login) return head;
  const allowed = side === 'source' ? 'to send files (rrsync without -wo)' : 'to receive files (rrsync without -ro)';
  return (
    `${head} If a forced command guards the key relaysync logs in with (command="..." in ~/.ssh/authorized_keys on ${s.transport.label}, such as rrsync), ` +
    `it refused that command line: use a key whose forced command allows it ${allowed} in that directory, or change the forced command.`
  );
}

/** The text a login script printed: what came before rsync's own first bytes, its version. */
function beforeGreeting(received: Buffer): Buffer {
  for (let i = 0; i + 4 <= received.length; i++) {
    if (isGreeting(received.subarray(i))) return received.subarray(0, i);
  }
  return received;
}

/** Lines a server wrote, quoted, the first few only. */
function quoteLines(lines: readonly string[]): string {
  const shown = lines.slice(0, QUOTED_STDERR_LINES).map((line) => JSON.stringify(line));
  return shown.join(', ') + (lines.length > QUOTED_STDERR_LINES ? ', ...' : '');
}

/** Bytes as a quoted string with C escapes (\n, \t, \x1b), so that invisible ones show; the first few only. */
export function quoteBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes.subarray(0, SHOWN_BYTES)) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return `"${out}"${bytes.length > SHOWN_BYTES ? '...' : ''}`;
}
