// Renders a server command for a remote login shell. rsync escapes the
// arguments it passes through the remote shell with backslashes (see
// safe_arg() in rsync's options.c); rrsync and other forced commands parse
// exactly that form, so relaysync produces the same one. --old-args and -s
// change what is escaped, and -s what goes through the shell at all.
import type { RsyncOptions } from '../cli/rsync-options.js';
import type { ServerCommand } from '../transport/server-process.js';

/** How rsync quotes the arguments a remote shell gets. */
export interface RemoteQuoting {
  /** -s: only the first words go through the shell, as they are; the rest goes through the protocol. */
  readonly protectArgs: boolean;
  /** --old-args: 1 leaves paths to the shell, 2 leaves everything to it. */
  readonly oldArgs: number;
  /** rsync trusts the names a sender returns (--old-args, --files-from on a host): a leading ~ is left to the shell too. */
  readonly trustSenderArgs: boolean;
}

/** rsync's quoting without -s or --old-args. */
export const CURRENT_QUOTING: RemoteQuoting = { protectArgs: false, oldArgs: 0, trustSenderArgs: false };

export function remoteQuoting(o: RsyncOptions): RemoteQuoting {
  return { protectArgs: o.protectArgs, oldArgs: o.oldStyleArgs, trustSenderArgs: o.oldStyleArgs > 0 || o.filesfromHost !== undefined };
}

const SHELL_CHARS = '!#$&;|<>(){}"\'` \t\n\r\\';
const WILD_CHARS = '*?[]';

/** Escapes one character for a POSIX shell. A backslash before a newline is a
 * line continuation there, so line breaks are single-quoted instead. */
function escapeChar(ch: string): string {
  if (ch === '\n' || ch === '\r') return `'${ch}'`;
  return '\\' + ch;
}

/** An option or option value: wildcards and shell characters are literal. */
export function quoteOptionArg(arg: string): string {
  let out = '';
  for (const ch of arg) {
    out += SHELL_CHARS.includes(ch) || WILD_CHARS.includes(ch) ? escapeChar(ch) : ch;
  }
  return out;
}

/**
 * A path operand: shell characters are literal but wildcards stay active, so
 * `host:/logs/*.gz` globs on the remote side as it does with rsync. A
 * backslash before a wildcard is kept as the user's own escape. A leading
 * dash becomes `./-` so the path cannot be read as an option.
 */
export function quotePathArg(arg: string, escapeLeadingTilde: boolean): string {
  let out = '';
  if (escapeLeadingTilde && arg.startsWith('~')) out += '\\';
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i]!;
    if (ch === '\\') {
      const next = arg[i + 1];
      out += next !== undefined && WILD_CHARS.includes(next) ? ch : '\\\\';
    } else {
      out += SHELL_CHARS.includes(ch) ? escapeChar(ch) : ch;
    }
  }
  return undashed(out);
}

/** A path as rsync passes it on whatever the quoting: never taken for an option. */
function undashed(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

/**
 * With -s, rsync runs `rsync --server [--sender] -s... [--iconv=...]` and
 * sends every other argument through the protocol instead: a new first
 * argument "rsync", the other options, ".", the paths, each ended by a NUL,
 * then an empty one (main.c send_protected_args).
 */
export function secludeArgs(command: ServerCommand): { readonly visible: readonly string[]; readonly secluded: readonly string[] } {
  const words = command.options;
  let shown = 1;
  if (words[shown] === '--sender') shown++;
  if (words[shown] !== undefined && /^-[^-]/.test(words[shown]!)) shown++;
  if (words[shown]?.startsWith('--iconv=')) shown++;
  return { visible: words.slice(0, shown), secluded: ['rsync', ...words.slice(shown), '.', ...command.paths.map(undashed)] };
}

/** The bytes of the secluded arguments on the wire. */
export function encodeSecludedArgs(secluded: readonly string[]): Buffer {
  return Buffer.concat([...secluded.map((word) => Buffer.from(`${word}\0`)), Buffer.from([0])]);
}

/**
 * rsync escapes a leading `~` in a source path so the remote shell cannot
 * expand it to another user's home, unless the path names a directory under
 * it (`~/x`) that the user plainly meant, or rsync trusts the sender anyway.
 */
function tildeIsLiteral(cmd: ServerCommand, path: string, quoting: RemoteQuoting): boolean {
  if (cmd.side !== 'source' || !path.startsWith('~') || quoting.trustSenderArgs) return false;
  return cmd.relativePaths ? !path.includes('/./') : !path.includes('/');
}


/**
 * The command line a remote login shell runs: `rsync --server ... . PATH...`.
 * The program goes in as given, like rsync's --rsync-path, so that a value
 * such as `sudo rsync` or `cd /srv && rsync` works there too.
 */
export function renderRemoteCommand(cmd: ServerCommand, quoting: RemoteQuoting = CURRENT_QUOTING): string {
  if (quoting.protectArgs) return [cmd.program, ...secludeArgs(cmd).visible].join(' ');
  const options = quoting.oldArgs >= 2 ? cmd.options : cmd.options.map(quoteOptionArg);
  const paths = cmd.paths.map((p) => (quoting.oldArgs >= 1 ? undashed(p) : quotePathArg(p, tildeIsLiteral(cmd, p, quoting))));
  return [cmd.program, ...options, '.', ...paths].join(' ');
}
