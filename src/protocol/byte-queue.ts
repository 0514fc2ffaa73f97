// An incremental reader over the Buffers a stream delivers. Parsers read
// through a cursor; when an item is not complete yet they get a Truncated
// exception, rewind to their mark and wait for the next chunk. Nothing is
// copied unless a value spans two chunks.

/** Thrown when the queue ends in the middle of an item: wait for more data. */
export class Truncated extends Error {
  constructor() {
    super('incomplete item');
  }
}

const TRUNCATED = new Truncated();

export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Read position: index into chunks and offset into that chunk. */
  private index = 0;
  private offset = 0;
  private unread = 0;
  /** Bytes read since the queue was made: the unit of marks. */
  private consumed = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.unread += chunk.length;
  }

  /** Bytes not read yet. */
  get available(): number {
    return this.unread;
  }

  /** A position to come back to with rewind(); also counts bytes read so far. */
  mark(): number {
    return this.consumed;
  }

  /** Goes back to a mark taken since the last discardRead(). */
  rewind(mark: number): void {
    let back = this.consumed - mark;
    this.unread += back;
    this.consumed = mark;
    while (back > 0) {
      if (this.offset === 0) {
        this.index--;
        this.offset = this.chunks[this.index]!.length;
      }
      const step = Math.min(back, this.offset);
      this.offset -= step;
      back -= step;
    }
  }

  /** Releases the chunks before the read position; marks taken before are void. */
  discardRead(): void {
    if (this.index > 0) {
      this.chunks = this.chunks.slice(this.index);
      this.index = 0;
    }
  }

  private current(): Buffer {
    for (;;) {
      const chunk = this.chunks[this.index];
      if (chunk === undefined) throw TRUNCATED;
      if (this.offset < chunk.length) return chunk;
      this.index++;
      this.offset = 0;
    }
  }

  u8(): number {
    const chunk = this.current();
    this.unread--;
    this.consumed++;
    return chunk[this.offset++]!;
  }

  /** Reads n bytes; a view into the received chunk when they lie in one. */
  bytes(n: number): Buffer {
    if (n > this.unread) throw TRUNCATED;
    if (n === 0) return Buffer.alloc(0);
    const chunk = this.current();
    if (chunk.length - this.offset >= n) {
      const view = chunk.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.unread -= n;
      this.consumed += n;
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.current();
      const take = Math.min(n - filled, c.length - this.offset);
      c.copy(out, filled, this.offset, this.offset + take);
      this.offset += take;
      filled += take;
    }
    this.unread -= n;
    this.consumed += n;
    return out;
  }

  u16(): number {
    return this.bytes(2).readUInt16LE(0);
  }

  i32(): number {
    return this.bytes(4).readInt32LE(0);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  /** Skips up to n bytes without copying; returns how many it skipped. */
  skipUpTo(n: number): number {
    const wanted = Math.min(n, this.unread);
    let left = wanted;
    while (left > 0) {
      const c = this.current();
      const take = Math.min(left, c.length - this.offset);
      this.offset += take;
      left -= take;
    }
    this.unread -= wanted;
    this.consumed += wanted;
    return wanted;
  }

  /** Hands over up to n bytes as views of the received chunks, without copying. */
  takeViews(n: number, into: Buffer[]): number {
    const wanted = Math.min(n, this.unread);
    let left = wanted;
    while (left > 0) {
      const c = this.current();
      const take = Math.min(left, c.length - this.offset);
      into.push(c.subarray(this.offset, this.offset + take));
      this.offset += take;
      left -= take;
    }
    this.unread -= wanted;
    this.consumed += wanted;
    return wanted;
  }
}
