// Commands run on a lab host over OpenSSH with the bench's profile, and the
// quoting their command lines need.
import type { RunResult } from '../test/harness/run.js';
import type { BenchContext } from './context.js';
import { runWithin } from './measure.js';

/** `ssh -F profile ARGS...` within `limitMs`: the last argument is the remote command line. */
export function ssh(ctx: BenchContext, limitMs: number, ...args: string[]): Promise<RunResult> {
  return runWithin('ssh', ['-F', ctx.profile.config, ...args], { env: ctx.profile.env }, limitMs);
}

/** A word of a remote shell command line. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `rsync ARGS...` as a remote shell command line. */
export function rsyncLine(args: readonly string[]): string {
  return ['rsync', ...args].map(shellWord).join(' ');
}
