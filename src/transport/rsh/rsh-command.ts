// The command line of an external remote shell, built exactly as rsync's
// do_cmd() builds it (main.c): the -e/--rsh (or RSYNC_RSH) text split into
// words on spaces, where single or double quotes group and a doubled quote
// inside quotes stands for itself; then `-l USER` when the user was given
// as user@host; then -4 or -6 when the shell is ssh; then the host; then the
// remote command's words.
import { remoteCommandWords } from '../../plan/remote-quote.js';
import type { ServerCommand } from '../server-process.js';
import type { IpFamily } from '../ssh/config-keywords.js';

export class RshCommandError extends Error {
  override name = 'RshCommandError';
}

/** Splits the remote shell text into words as rsync does; throws on a missing closing quote. */
export function splitRshCommand(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    let word = '';
    let quote = '';
    for (; i < text.length && (text[i] !== ' ' || quote !== ''); i++) {
      const ch = text[i]!;
      if (quote === '' && (ch === "'" || ch === '"')) {
        quote = ch;
      } else if (ch === quote) {
        // A doubled quote inside quotes is the quote character itself.
        if (text[i + 1] === quote) word += text[++i];
        else quote = '';
      } else {
        word += ch;
      }
    }
    if (quote !== '') throw new RshCommandError(`Missing trailing-${quote} in remote-shell command.`);
    words.push(word);
  }
  if (words.length === 0) throw new RshCommandError('the remote-shell command is empty');
  return words;
}

/** The program and arguments that start `cmd` on `host` through the remote shell, given as split words. */
export function rshArgv(shell: readonly string[], host: string, user: string | undefined, cmd: ServerCommand, family?: IpFamily): string[] {
  // rsync passes -4/-6 on only to a program named ssh, the one shell it knows takes them.
  const isSsh = shell[0]!.slice(shell[0]!.lastIndexOf('/') + 1) === 'ssh';
  const familyFlag = family === undefined || !isSsh ? [] : [family === 'inet' ? '-4' : '-6'];
  return [...shell, ...(user === undefined ? [] : ['-l', user]), ...familyFlag, host, ...remoteCommandWords(cmd)];
}
