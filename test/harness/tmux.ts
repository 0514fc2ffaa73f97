// A program on a terminal of a given size, as a person would see it: tmux
// (on a server of the test's own) runs it in a detached window, and the
// test reads the screen, resizes the window or types keys. Waiting for
// what the screen shows is polling with a generous limit that only stops
// a hung run from hanging the suite; no assertion depends on how long
// anything takes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const pollMs = 50;
const defaultLimitMs = 3 * 60_000;
/** The line the window prints after the program, with its exit code. */
const EXIT_MARK = 'TERMINAL-RUN-EXIT=';

let sessions = 0;

/** A word the shell takes literally. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

export interface TerminalOptions {
  readonly columns: number;
  readonly rows: number;
  /** The program's whole environment but TERM, which is tmux's: nothing else leaks in (no CI, no agent), as at a person's terminal. */
  readonly env: Readonly<Record<string, string>>;
}

export class TmuxWindow {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
  ) {}

  /** Starts `command args` on a new terminal; the window stays after it exits, showing its last screen. */
  static async start(command: string, args: readonly string[], o: TerminalOptions): Promise<TmuxWindow> {
    const name = `run${sessions++}`;
    // A server of its own per window: a new session on a server whose last session just ended can meet it exiting.
    const socket = `relaysync-test-${process.pid}-${name}`;
    const vars = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
    const line = [...vars, command, ...args].map(shellWord).join(' ');
    const script = `env -i "TERM=$TERM" ${line}; echo ${EXIT_MARK}$?; exec sleep 86400`;
    await exec('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(o.columns), '-y', String(o.rows), script]);
    // The window keeps the size given, whatever client attaches (none does).
    await exec('tmux', ['-L', socket, 'set-option', '-t', name, 'window-size', 'manual']);
    return new TmuxWindow(socket, name);
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return exec('tmux', ['-L', this.socket, ...args]);
  }

  /** The visible screen, one string a row, trailing empty rows left out. */
  async screen(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', this.name);
    const rows = stdout.split('\n').map((row) => row.trimEnd());
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }

  /** Everything the terminal holds: the rows scrolled off the top, then the screen. */
  async history(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-S', '-', '-t', this.name);
    return stdout.split('\n').map((row) => row.trimEnd());
  }

  /** Waits until the screen shows what `seen` looks for, and returns that screen. */
  async waitFor(seen: (rows: readonly string[]) => boolean, what: string, limitMs = defaultLimitMs): Promise<string[]> {
    const until = Date.now() + limitMs;
    for (;;) {
      const rows = await this.screen();
      if (seen(rows)) return rows;
      if (Date.now() > until) throw new Error(`the terminal never showed ${what}; its screen:\n${rows.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Waits for the program to exit: its exit code and the screen it left, without the line tmux adds. */
  async exited(): Promise<{ code: number; screen: string[] }> {
    const rows = await this.waitFor((r) => r.some((row) => row.startsWith(EXIT_MARK)), 'the program exit');
    const at = rows.findIndex((row) => row.startsWith(EXIT_MARK));
    return { code: Number(rows[at]!.slice(EXIT_MARK.length)), screen: rows.slice(0, at) };
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** Keys as tmux names them: C-c is Ctrl-C. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, ...keys);
  }

  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => {});
  }
}
