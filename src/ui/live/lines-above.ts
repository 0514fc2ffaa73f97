// What is printed above the live view while it is up: rsync's lines (-v,
// -i, --out-format, --stats), the servers' messages and relaysync's own.
// Anything written straight to the terminal would tear the view, so these
// streams queue the text, and the view prints it at its next redraw, whole
// lines only: a line still open ("building file list ... ") waits for its end.
import { Writable } from 'node:stream';

export type Stream = 'stdout' | 'stderr';

export class LinesAbove {
  private ready: { stream: Stream; text: string }[] = [];
  private readonly open: Record<Stream, string> = { stdout: '', stderr: '' };

  /** A stream whose text goes above the view. */
  stream(stream: Stream): Writable {
    return new Writable({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, done) => {
        this.add(stream, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  }

  private add(stream: Stream, text: string): void {
    const all = this.open[stream] + text;
    const end = all.lastIndexOf('\n') + 1;
    this.open[stream] = all.slice(end);
    if (end === 0) return;
    const last = this.ready[this.ready.length - 1];
    if (last?.stream === stream) last.text += all.slice(0, end);
    else this.ready.push({ stream, text: all.slice(0, end) });
  }

  /** Hands over the whole lines queued, in the order written. */
  take(print: (stream: Stream, text: string) => void): void {
    const ready = this.ready;
    this.ready = [];
    for (const { stream, text } of ready) print(stream, text);
  }

  /** The view is closing: a line left open is ended, so that it is printed too. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) if (this.open[stream] !== '') this.add(stream, '\n');
  }
}
