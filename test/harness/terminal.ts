// Runs a program on a pseudo-terminal, as a user at a terminal would, and
// answers its prompts: util-linux's `script` gives the program a terminal of
// its own (so /dev/tty is that terminal) and passes what we write to it as
// keystrokes. An answer is typed only once its prompt has appeared, as a
// person would; nothing here depends on how long anything takes.
import { spawn } from 'node:child_process';

export interface Exchange {
  /** What the program shows before it wants the answer. */
  readonly prompt: RegExp;
  /** Typed followed by Enter. */
  readonly answer: string;
}

export interface TerminalRunResult {
  /** The program's exit code, or null when it died of a signal or had to be killed. */
  readonly code: number | null;
  /** Everything the program wrote to the terminal (stdout, stderr and prompts). */
  readonly output: string;
  /** For each exchange answered, where its prompt started and how much output there was when the answer was typed. */
  readonly answered: readonly { readonly promptAt: number; readonly outputLength: number }[];
}

const defaultTimeoutMs = 5 * 60_000;

/** A word the shell takes literally. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Runs `command` on a terminal, answering `exchanges` in order. */
export function runOnTerminal(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; exchanges: readonly Exchange[]; timeoutMs?: number },
): Promise<TerminalRunResult> {
  const line = [command, ...args].map(shellWord).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--flush', '--return', '--command', line, '/dev/null'], {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const answered: { promptAt: number; outputLength: number }[] = [];
    const pending = [...options.exchanges];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
      // Each prompt is looked for after the previous answer, so one prompt is never answered twice.
      const from = answered.at(-1)?.outputLength ?? 0;
      const next = pending[0];
      const match = next === undefined ? null : next.prompt.exec(output.slice(from));
      if (match === null) return;
      pending.shift();
      answered.push({ promptAt: from + match.index, outputLength: output.length });
      child.stdin.write(`${next!.answer}\r`);
    });
    child.stderr.resume();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      reject(new Error(`${line} did not finish on its terminal within ${(options.timeoutMs ?? defaultTimeoutMs) / 1000} s; it wrote:\n${output}`));
    }, options.timeoutMs ?? defaultTimeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run script(1) for ${line}: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output, answered });
    });
  });
}
