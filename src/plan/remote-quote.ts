// Renders a server command for a remote login shell. rsync escapes the
// arguments it passes through the remote shell with backslashes (see
// safe_arg() in rsync's options.c); rrsync and other forced commands parse
// exactly that form, so relaysync produces the same one.
import type { ServerCommand } from '../transport/server-process.js';

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
  let out = arg.startsWith('-') ? './' : '';
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
  return out;
}

/**
 * rsync escapes a leading `~` in a source path so the remote shell cannot
 * expand it to another user's home, unless the path names a directory under
 * it (`~/x`) that the user plainly meant.
 */
function tildeIsLiteral(cmd: ServerCommand, path: string): boolean {
  if (cmd.side !== 'source' || !path.startsWith('~')) return false;
  return cmd.relativePaths ? !path.includes('/./') : !path.includes('/');
}

/**
 * The words of the command a remote login shell runs: `rsync --server ... .
 * PATH...`, each quoted for that shell. The program goes in as given, like
 * rsync's --rsync-path, so that a value such as `sudo rsync` or
 * `cd /srv && rsync` works there too. rsync hands these words to a remote
 * shell program (-e) as separate arguments.
 */
export function remoteCommandWords(cmd: ServerCommand): string[] {
  const words = [cmd.program, ...cmd.options.map(quoteOptionArg)];
  if (!cmd.secludedArgs) words.push('.', ...cmd.paths.map((p) => quotePathArg(p, tildeIsLiteral(cmd, p))));
  return words;
}

/** The command line a remote login shell runs, as one string (what ssh makes of the words). */
export function renderRemoteCommand(cmd: ServerCommand): string {
  return remoteCommandWords(cmd).join(' ');
}
