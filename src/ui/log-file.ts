// The log a client writes with --log-file (log.c logfile_open and logit):
// appended to, created with mode 0644 (less the umask), one line per
// message after the local time and the process id, "2026/01/31 12:00:00
// [1234] ". Each line is written at once, so the log is whole even if the
// run is killed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { getSystemErrorMap } from 'node:util';
import { logFileText } from './display-name.js';
import { timeString } from './file-attributes.js';

/** An errno's text as C's strerror() words it, with its number, as rsync's rsyserr() shows them. */
export function systemError(err: NodeJS.ErrnoException): string {
  const errno = -(err.errno ?? 0);
  const text = getSystemErrorMap().get(-errno)?.[1] ?? err.message;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} (${errno})`;
}

export class LogFile {
  private constructor(
    private fd: number | undefined,
    private readonly pid: number,
    private readonly now: () => number,
  ) {}

  /** Opens the log for appending; throws the system's error when it cannot. */
  static open(path: string, pid: number, now: () => number = () => Date.now() / 1000): LogFile {
    return new LogFile(openSync(path, 'a', 0o644), pid, now);
  }

  /** One message, its final newline included. */
  write(message: Buffer): void {
    if (this.fd === undefined) return;
    const stamp = Buffer.from(`${timeString(Math.floor(this.now()))} [${this.pid}] `);
    writeSync(this.fd, Buffer.concat([stamp, logFileText(message)]));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
