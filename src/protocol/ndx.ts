// File-list indexes on the wire (write_ndx/read_ndx in io.c). Before
// protocol 30 an index is a plain int32. From 30 on it is sent as a
// difference from the previous index of the same sign, so each direction of
// a connection keeps its own state, on both ends, for the whole run.
import type { ByteQueue } from './byte-queue.js';
import { NDX_DONE } from './constants.js';
import { ProtocolError } from './errors.js';

const INT32_MAX = 0x7fffffff;

/** What an index decoder remembers: the previous index of each sign. */
export type NdxState = readonly [positive: number, negative: number];

export class NdxDecoder {
  private prevPositive = -1;
  private prevNegative = 1;

  constructor(private readonly protocol: number) {}

  /** The state to return to when an item that began with an index turns out incomplete. */
  save(): NdxState {
    return [this.prevPositive, this.prevNegative];
  }

  restore([positive, negative]: NdxState): void {
    this.prevPositive = positive;
    this.prevNegative = negative;
  }

  /** Reads one index; throws Truncated (leaving the state unchanged) if incomplete. */
  read(q: ByteQueue): number {
    if (this.protocol < 30) return q.i32();
    let first = q.u8();
    if (first === 0) return NDX_DONE;
    let negative = false;
    if (first === 0xff) {
      negative = true;
      first = q.u8();
    }
    const prev = negative ? this.prevNegative : this.prevPositive;
    let num: number;
    if (first === 0xfe) {
      const b0 = q.u8();
      const b1 = q.u8();
      if (b0 & 0x80) {
        const rest = q.bytes(2);
        num = (b0 & 0x7f) * 0x1000000 + rest[1]! * 0x10000 + rest[0]! * 0x100 + b1;
      } else {
        num = ((b0 << 8) | b1) + prev;
      }
    } else {
      num = first + prev;
    }
    if (num > INT32_MAX) throw new ProtocolError(`invalid file index ${num}`);
    if (negative) {
      this.prevNegative = num;
      return -num;
    }
    this.prevPositive = num;
    return num;
  }
}

export class NdxEncoder {
  private prevPositive = -1;
  private prevNegative = 1;

  constructor(private readonly protocol: number) {}

  encode(ndx: number): Buffer {
    if (this.protocol < 30) {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32LE(ndx, 0);
      return b;
    }
    if (ndx === NDX_DONE) return Buffer.from([0]);
    const out: number[] = [];
    let num: number;
    let diff: number;
    if (ndx >= 0) {
      num = ndx;
      diff = num - this.prevPositive;
      this.prevPositive = num;
    } else {
      out.push(0xff);
      num = -ndx;
      diff = num - this.prevNegative;
      this.prevNegative = num;
    }
    if (diff > 0 && diff < 0xfe) {
      out.push(diff);
    } else if (diff < 0 || diff > 0x7fff) {
      out.push(0xfe, ((num >>> 24) & 0xff) | 0x80, num & 0xff, (num >>> 8) & 0xff, (num >>> 16) & 0xff);
    } else {
      out.push(0xfe, diff >> 8, diff & 0xff);
    }
    return Buffer.from(out);
  }
}
