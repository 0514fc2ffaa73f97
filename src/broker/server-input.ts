// What the broker writes to one server's stdin. From protocol 30 a server
// reads its input multiplexed (data frames and messages); before that, data
// only. Pieces queued while one input chunk is processed go out as a single
// write, so the remote shell sends a few large packets rather than many small.
import type { Writable } from 'node:stream';
import { MAX_FRAME_LENGTH, MSG } from '../protocol/constants.js';
import { encodeFrameHeader } from '../protocol/mux.js';

export class ServerInput {
  private pending: Buffer[] = [];
  private closed = false;
  /** Bytes queued for the server so far, for the run's totals. */
  written = 0;

  constructor(
    private readonly sink: Writable,
    readonly multiplexed: boolean,
    /** Told each frame queued, for a protocol trace. */
    private readonly traced?: (tag: number, length: number) => void,
  ) {
    sink.on('error', () => (this.closed = true));
  }

  /** Queues protocol data; an empty list of pieces relays a keep-alive. */
  data(pieces: readonly Buffer[]): void {
    let length = 0;
    for (const p of pieces) length += p.length;
    if (!this.multiplexed) {
      if (length > 0) this.queue(...pieces);
      return;
    }
    if (length > MAX_FRAME_LENGTH) {
      for (const p of pieces) this.data([p]);
      return;
    }
    this.traced?.(MSG.DATA, length);
    this.queue(encodeFrameHeader(MSG.DATA, length), ...pieces);
  }

  /**
   * Queues bytes outside any frame, even on a multiplexed input: before
   * protocol 31 the --files-from names travel that way.
   */
  raw(bytes: Buffer): void {
    if (bytes.length > 0) this.pending.push(bytes);
  }

  /** Queues a message; only a multiplexed input can carry one. */
  message(tag: number, payload: Buffer): boolean {
    if (!this.multiplexed) return false;
    this.traced?.(tag, payload.length);
    this.queue(encodeFrameHeader(tag, payload.length), payload);
    return true;
  }

  private queue(...pieces: Buffer[]): void {
    for (const p of pieces) this.written += p.length;
    this.pending.push(...pieces);
  }

  /** Writes what is queued; false means the server is not keeping up (wait for drain). */
  flush(): boolean {
    // Whatever is queued for an input that was ended or lost is dropped, never kept.
    if (this.closed) this.pending = [];
    if (this.pending.length === 0) return true;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    return this.sink.write(chunk);
  }

  onDrain(listener: () => void): void {
    this.sink.once('drain', listener);
  }

  /** The server is gone: what is queued for it now or later is dropped. */
  abandon(): void {
    this.closed = true;
    this.pending = [];
  }

  /** Ends the server's input: it reads end-of-file. */
  end(): void {
    this.flush();
    this.closed = true;
    this.sink.end();
  }
}
