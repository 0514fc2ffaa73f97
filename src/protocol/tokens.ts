// Walks the sender's token stream for one file (token.c) without decoding
// it: literal data is skipped in place, block matches are counted. Plain
// streams are int32 headers (n > 0: n literal bytes; n < 0: block -(n+1);
// 0: end). Compressed streams (zlib, zlibx, zstd, lz4 share the framing) are
// flag bytes: DEFLATED_DATA with a 14-bit length, block tokens relative to
// the last one or absolute, optionally with a 16-bit run count, and END.
import { Truncated, type ByteQueue } from './byte-queue.js';
import { TOKEN } from './constants.js';
import { ProtocolError } from './errors.js';

/** The largest block index rsync accepts. */
const MAX_TOKEN_INDEX = 0x7ffffffe;

export interface BlockLayout {
  readonly count: number;
  readonly blockLength: number;
  /** Length of the last block when shorter than blockLength, else 0. */
  readonly remainder: number;
}

export class TokenScanner {
  /** Literal bytes as sent: exact for plain streams, compressed size otherwise. */
  literalBytes = 0;
  matchedBytes = 0;
  private pendingLiteral = 0;
  /** Last block of the previous run; relative tokens count from it (0 at the start). */
  private lastToken = 0;
  private done = false;

  constructor(
    private readonly compressed: boolean,
    private readonly blocks: BlockLayout,
  ) {}

  /** Consumes what it can; true once the end of the stream has been read. */
  scan(q: ByteQueue): boolean {
    while (!this.done) {
      if (this.pendingLiteral > 0) {
        const skipped = q.skipUpTo(this.pendingLiteral);
        this.pendingLiteral -= skipped;
        this.literalBytes += skipped;
        if (this.pendingLiteral > 0) return false;
        continue;
      }
      if (q.available === 0) return false;
      const mark = q.mark();
      try {
        if (this.compressed) this.readCompressed(q);
        else this.readPlain(q);
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        q.rewind(mark);
        return false;
      }
    }
    return true;
  }

  private readPlain(q: ByteQueue): void {
    const n = q.i32();
    if (n > 0) this.pendingLiteral = n;
    else if (n === 0) this.done = true;
    else this.matched(-(n + 1), 1);
  }

  private readCompressed(q: ByteQueue): void {
    const flag = q.u8();
    if ((flag & 0xc0) === TOKEN.DEFLATED_DATA) {
      this.pendingLiteral = ((flag & 0x3f) << 8) | q.u8();
      return;
    }
    if (flag === TOKEN.END_FLAG) {
      this.done = true;
      return;
    }
    let token: number;
    let runFlag: number;
    if (flag & TOKEN.REL) {
      token = this.lastToken + (flag & 0x3f);
      runFlag = flag >> 6;
    } else {
      token = q.i32();
      runFlag = flag;
    }
    let run = 0;
    if (runFlag & 1) run = q.u16();
    if (token < 0 || token + run > MAX_TOKEN_INDEX) throw new ProtocolError(`invalid block token ${token} in compressed stream`);
    this.matched(token, run + 1);
  }

  private matched(first: number, count: number): void {
    const { blockLength, remainder } = this.blocks;
    for (let i = 0; i < count; i++) {
      const token = first + i;
      if (token >= this.blocks.count) throw new ProtocolError(`block token ${token} beyond the ${this.blocks.count} blocks sent`);
      this.matchedBytes += remainder && token === this.blocks.count - 1 ? remainder : blockLength;
    }
    this.lastToken = first + count - 1;
  }
}
