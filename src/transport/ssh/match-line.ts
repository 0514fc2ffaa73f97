// `Match` lines as OpenSSH 9.2 evaluates them (readconf.c match_cfg_line):
// criteria all, canonical, final, host, originalhost, user, localuser and
// exec, each possibly negated with `!`, all of which must hold. The words
// are split with strdelim(), not like other arguments: double quotes group,
// `=` separates, and `#` starts a comment.
import { spawnSync } from 'node:child_process';
import { fail, type Setting } from './config-files.js';
import { ExpansionError, expandTokens } from './expand.js';
import { matchPatternList } from './wildcard.js';

export interface MatchContext {
  /** What `host` matches: HostName as far as it is known, else the host as typed. */
  readonly host: string;
  /** The host as typed. */
  readonly originalHost: string;
  /** The remote user as far as it is known. */
  readonly user: string;
  readonly localUser: string;
  /** True in the second pass that `Match final` asks for; `canonical` and `final` hold only then. */
  readonly finalPass: boolean;
  /** %-tokens for `exec` commands. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Called when a line mentions `final`, so a second pass is made. */
  wantFinalPass(): void;
}

/** Whether the block that this Match line opens applies. Throws SshConfigError for a malformed line. */
export function matchLineApplies(s: Setting, context: MatchContext): boolean {
  const words = strdelimWords(s);
  let result = true;
  let attributes = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('#')) break;
    const negate = word.startsWith('!');
    const criterion = (negate ? word.slice(1) : word).toLowerCase();
    if (criterion === 'all') {
      const next = words[i + 1];
      if (attributes > 1 || (next !== undefined && !next.startsWith('#'))) {
        fail(s, `'${word}' cannot be combined with other Match attributes`);
      }
      return result && !negate;
    }
    attributes++;
    if (criterion === 'canonical' || criterion === 'final') {
      if (criterion === 'final') context.wantFinalPass();
      if (context.finalPass === negate) result = false;
      continue;
    }
    const arg = words[++i];
    if (arg === undefined || arg === '' || arg.startsWith('#')) fail(s, `missing Match criteria for ${word}`);
    let holds: boolean;
    switch (criterion) {
      case 'host':
        holds = matchPatternList(context.host, arg, true) === 1;
        break;
      case 'originalhost':
        holds = matchPatternList(context.originalHost, arg, true) === 1;
        break;
      case 'user':
        holds = matchPatternList(context.user, arg, false) === 1;
        break;
      case 'localuser':
        holds = matchPatternList(context.localUser, arg, false) === 1;
        break;
      case 'exec':
        // A command after a criterion that already failed is not run.
        if (!result) continue;
        holds = execSucceeds(s, arg, context.tokens);
        break;
      default:
        fail(s, `unsupported Match attribute ${criterion}`);
    }
    if (holds === negate) result = false;
  }
  if (attributes === 0) fail(s, 'one or more attributes required for Match');
  return result;
}

/** Runs an `exec` command with the user's shell as ssh does: no input, no output, its errors shown. */
function execSucceeds(s: Setting, command: string, tokens: Readonly<Record<string, string>>): boolean {
  let expanded: string;
  try {
    expanded = expandTokens(command, tokens);
  } catch (err) {
    if (err instanceof ExpansionError) fail(s, `cannot expand Match exec "${command}": ${err.message}`);
    throw err;
  }
  const shell = process.env['SHELL'] || '/bin/sh';
  const run = spawnSync(shell, ['-c', expanded], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.error) fail(s, `Match exec "${expanded}": cannot run ${shell}: ${run.error.message}`);
  if (run.status === null) fail(s, `Match exec "${expanded}" was ended by ${run.signal}`);
  return run.status === 0;
}

/** The line's words as strdelim() splits them. */
function strdelimWords(s: Setting): string[] {
  const words: string[] = [];
  let text = s.rest;
  while (text !== '') {
    const stop = text.search(/[ \t\r\n"=]/);
    if (stop < 0) {
      words.push(text);
      break;
    }
    if (text[stop] === '"') {
      const close = text.indexOf('"', stop + 1);
      if (close < 0) fail(s, 'invalid quotes');
      words.push(text.slice(0, stop) + text.slice(stop + 1, close));
      text = text.slice(close + 1).replace(/^[ \t\r\n]+/, '');
      continue;
    }
    words.push(text.slice(0, stop));
    // One `=` may stand between words, with blanks around it.
    text = text.slice(stop).replace(/^[ \t\r\n]*(=[ \t\r\n]*)?/, '');
  }
  return words;
}
