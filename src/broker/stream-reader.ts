// Reads the handshake from a server's output: waits until a parser can take
// a whole item from what has arrived. When the handshake is over, the bytes
// that came after it are handed to the relay with release().
import type { Readable } from 'node:stream';
import { ByteQueue, Truncated } from '../protocol/byte-queue.js';

export class StreamClosed extends Error {
  constructor(readonly received: Buffer) {
    super('stream closed');
  }
}

export class StreamReader {
  private readonly queue = new ByteQueue();
  /** Everything received, kept for error messages until the handshake ends. */
  private received: Buffer[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.queue.push(chunk);
    this.received.push(chunk);
    this.wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake?.();
  };

  constructor(private readonly stream: Readable) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
  }

  /** Bytes received so far, for showing what a host printed instead of the protocol. */
  get receivedSoFar(): Buffer {
    return Buffer.concat(this.received);
  }

  async read<T>(parse: (q: ByteQueue) => T): Promise<T> {
    for (;;) {
      const mark = this.queue.mark();
      try {
        const value = parse(this.queue);
        this.queue.discardRead();
        return value;
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        this.queue.rewind(mark);
      }
      if (this.ended) throw new StreamClosed(this.receivedSoFar);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Stops reading; returns what arrived after the last item read. */
  release(): Buffer[] {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.received = [];
    const rest: Buffer[] = [];
    this.queue.takeViews(this.queue.available, rest);
    return rest;
  }
}
