// Where each message goes, as rsync's client decides it (log.c rwrite) by
// its log code: "client" lines go to stdout only, "info" lines to stdout
// and the log file, "log" lines to the log file only, errors and warnings
// to stderr and the log file. -q silences stdout, never the log. Names in
// a message are filtered for the terminal or for the log file on the way.
// A progress line left open (no newline yet) gets one before the next
// message, on whichever stream that message goes to, as rsync does.
import type { Writable } from 'node:stream';
import { displayText } from './display-name.js';
import type { LogFile } from './log-file.js';

/** rsync's FCLIENT, FINFO, FLOG, FERROR (and FERROR_XFER), FWARNING. */
export type LogCode = 'client' | 'info' | 'log' | 'error' | 'warning';

export interface SinkStreams {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export class MessageSink {
  /** A line is on screen without its newline (progress, "building file list ... "). */
  private lineOpen = false;

  constructor(
    private readonly streams: SinkStreams,
    private readonly quiet: boolean,
    private readonly logFile: LogFile | undefined,
  ) {}

  /**
   * One message, with its newline (a progress line has none). `tag` goes
   * before a message on stderr only: relaysync names the host that
   * printed an error, where rsync has one remote host.
   */
  write(code: LogCode, message: Buffer | string, tag = ''): void {
    const bytes = typeof message === 'string' ? Buffer.from(message) : message;
    if (code !== 'client') this.logFile?.write(bytes);
    if (code === 'log') return;
    const toStdout = code === 'client' || code === 'info';
    if (toStdout && this.quiet) return;
    const stream = toStdout ? this.streams.stdout : this.streams.stderr;
    if (this.lineOpen) {
      stream.write('\n');
      this.lineOpen = false;
    }
    stream.write((toStdout ? '' : tag) + displayText(bytes));
  }

  /** The line just written stays open: the next message starts on a new line. */
  leaveOpen(): void {
    if (!this.quiet) this.lineOpen = true;
  }

  /** The next message goes on the open line (a progress update overwrites it with "\r"). */
  continueLine(): void {
    this.lineOpen = false;
  }

  close(): void {
    this.logFile?.close();
  }
}
