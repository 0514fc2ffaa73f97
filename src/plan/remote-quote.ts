// Renders a server command for a remote login shell. rsync escapes the
// arguments it passes through the remote shell with backslashes (see
// safe_arg() in rsync's options.c); rrsync and other forced commands parse
// exactly that form, so relaysync produces the same one. --old-args and -s
// change what is escaped, and -s what goes through the shell at all.
import type { RsyncOptions } from '../cli/rsync-options.js';
import type { RemoteQuoting, ServerCommand } from '../transport/server-process.js';

/** rsync's quoting without --old-args. */
export const CURRENT_QUOTING: RemoteQuoting = { oldArgs: 0, trustSenderArgs: false };

export function remoteQuoting(o: RsyncOptions): RemoteQuoting {
  return { oldArgs: o.oldStyleArgs, trustSenderArgs: o.oldStyleArgs > 0 || o.filesfromHost !== undefined };
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
 * sends every other argument through the protocol instead: the other
 * options, ".", the paths (main.c send_protected_args; the encoding is
 * protocol/secluded-args.ts).
 */
export function secludeArgs(options: readonly string[], paths: readonly string[]): { readonly visible: readonly string[]; readonly secluded: readonly string[] } {
  let shown = 1;
  if (options[shown] === '--sender') shown++;
  if (options[shown] !== undefined && /^-[^-]/.test(options[shown]!)) shown++;
  if (options[shown]?.startsWith('--iconv=')) shown++;
  return { visible: options.slice(0, shown), secluded: [...options.slice(shown), '.', ...paths.map(undashed)] };
}

/**
 * rsync escapes a leading `~` in a source path so the remote shell cannot
 * expand it to another user's home, unless the path names a directory under
 * it (`~/x`) that the user plainly meant, or rsync trusts the sender anyway.
 */
function tildeIsLiteral(cmd: ServerCommand, path: string): boolean {
  if (cmd.side !== 'source' || !path.startsWith('~') || (cmd.quoting ?? CURRENT_QUOTING).trustSenderArgs) return false;
  return cmd.relativePaths ? !path.includes('/./') : !path.includes('/');
}

/**
 * The words of the command a remote login shell runs: `rsync --server ... .
 * PATH...`, each quoted for that shell as the command's quoting says. The
 * program goes in as given, like rsync's --rsync-path, so that a value such
 * as `sudo rsync` or `cd /srv && rsync` works there too. rsync hands these
 * words to a remote shell program (-e) as separate arguments.
 */
export function remoteCommandWords(cmd: ServerCommand): string[] {
  const oldArgs = (cmd.quoting ?? CURRENT_QUOTING).oldArgs;
  const words = [cmd.program, ...(oldArgs >= 2 ? cmd.options : cmd.options.map(quoteOptionArg))];
  if (cmd.secludedArgs) return words;
  return [...words, '.', ...cmd.paths.map((p) => (oldArgs >= 1 ? undashed(p) : quotePathArg(p, tildeIsLiteral(cmd, p))))];
}

/** The command line a remote login shell runs, as one string (what ssh makes of the words). */
export function renderRemoteCommand(cmd: ServerCommand): string {
  return remoteCommandWords(cmd).join(' ');
}
