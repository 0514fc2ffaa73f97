// The user's terminal, as ssh uses it: questions and secrets go to
// /dev/tty, not to stdout or stderr, so they work when those are redirected,
// and there is no terminal when the process has no controlling one (cron,
// CI, a detached process). Both hosts connect at once, so the terminal is
// taken by one asker at a time: one of relaysync's own questions, or an
// external program (a remote shell, a ProxyCommand) that may ask its own.
import { closeSync, openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';

const TTY = '/dev/tty';

/** The user pressed Ctrl-C at a prompt. */
export class PromptInterrupted extends Error {
  override name = 'PromptInterrupted';
}

/** Where relaysync asks the user something: the terminal, or in tests a script of answers. */
export interface Prompter {
  /**
   * Asks one question and reads one line. With `echo` false the answer is
   * not shown (a password). Resolves null at end of input (Ctrl-D);
   * rejects with PromptInterrupted on Ctrl-C.
   */
  ask(prompt: string, echo: boolean): Promise<string | null>;
  /** Keeps the terminal for an external program until `done` settles, so that no prompt of ours interleaves with its own. */
  lend(done: Promise<unknown>): void;
}

export class Terminal implements Prompter {
  /** The end of the last task that took the terminal; the next one starts after it. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor() {}

  /** The controlling terminal, or null when there is none. */
  static open(): Terminal | null {
    try {
      closeSync(openSync(TTY, 'r+'));
      return new Terminal();
    } catch {
      return null;
    }
  }

  ask(prompt: string, echo: boolean): Promise<string | null> {
    return this.exclusive(() => readAnswer(prompt, echo));
  }

  lend(done: Promise<unknown>): void {
    void this.exclusive(() => done);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** Reads a line in raw mode, doing the little line editing a password prompt needs. */
function readAnswer(prompt: string, echo: boolean): Promise<string | null> {
  const out = openSync(TTY, 'w');
  const input = new ReadStream(openSync(TTY, 'r'));
  input.setRawMode(true);
  const write = (text: string): void => void writeSync(out, text);
  write(prompt);
  return new Promise<string | null>((resolve, reject) => {
    let answer = '';
    const finish = (result: () => void): void => {
      input.removeAllListeners('data');
      input.setRawMode(false);
      input.destroy();
      write('\r\n');
      closeSync(out);
      result();
    };
    input.setEncoding('utf8');
    input.on('data', (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(answer));
        if (ch === '\x03') return finish(() => reject(new PromptInterrupted('interrupted at the prompt')));
        if (ch === '\x04') {
          if (answer === '') return finish(() => resolve(null));
        } else if (ch === '\x7f' || ch === '\b') {
          if (answer !== '' && echo) write('\b \b');
          answer = [...answer].slice(0, -1).join('');
        } else if (ch === '\x15') {
          if (echo) write('\b \b'.repeat([...answer].length));
          answer = '';
        } else if (ch >= ' ') {
          answer += ch;
          if (echo) write(ch);
        }
      }
    });
  });
}
