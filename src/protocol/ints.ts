// Integer and string codecs of the rsync wire (io.c): fixed little-endian
// ints, rsync's varint/varlong (a length prefix in the high bits of the
// first byte), the 30-suffixed forms that are plain ints before protocol 30,
// and vstrings. Decoders read from a ByteQueue and throw Truncated when the
// value is not complete yet; encoders return a new Buffer.
import type { ByteQueue } from './byte-queue.js';
import { ProtocolError } from './errors.js';

/** How many bytes follow a varint's first byte, indexed by that byte / 4. */
function extraBytes(first: number): number {
  if (first < 0x80) return 0;
  if (first < 0xc0) return 1;
  if (first < 0xe0) return 2;
  if (first < 0xf0) return 3;
  if (first < 0xf8) return 4;
  if (first < 0xfc) return 5;
  return 6;
}

export function readVarint(q: ByteQueue): number {
  const first = q.u8();
  const extra = extraBytes(first);
  if (extra === 0) return first;
  if (extra > 4) throw new ProtocolError(`varint with ${extra} extra bytes (first byte 0x${first.toString(16)})`);
  let value = 0;
  for (let i = 0; i < extra; i++) value += q.u8() * 2 ** (8 * i);
  if (extra < 4) value += (first & ((1 << (8 - extra)) - 1)) * 2 ** (8 * extra);
  return value | 0;
}

/** A varlong whose first minBytes bytes are always sent; a signed 64-bit value
 * (times before 1970 are negative), exact up to 2^53. */
export function readVarlong(q: ByteQueue, minBytes: number): number {
  const first = q.u8();
  const extra = extraBytes(first);
  const length = minBytes + extra;
  if (length > 9) throw new ProtocolError(`varlong of ${length} bytes`);
  // Little-endian: the bytes after the first, then what the first byte holds above them.
  const low: number[] = [];
  for (let i = 1; i < length; i++) low.push(q.u8());
  low.push(extra ? first & ((1 << (8 - extra)) - 1) : first);
  if (low.length <= 6) {
    let value = 0;
    for (let i = low.length - 1; i >= 0; i--) value = value * 256 + low[i]!;
    return value;
  }
  let value = 0n;
  for (let i = Math.min(low.length, 8) - 1; i >= 0; i--) value = (value << 8n) | BigInt(low[i]!);
  return Number(BigInt.asIntN(64, value));
}

/** An int32, or -1 followed by an int64 for larger values (protocols < 30). */
export function readLongint(q: ByteQueue): number {
  const small = q.i32();
  if (small !== -1) return small;
  const low = q.u32();
  const high = q.i32();
  return high * 2 ** 32 + low;
}

export function readVarint30(q: ByteQueue, protocol: number): number {
  return protocol < 30 ? q.i32() : readVarint(q);
}

export function readVarlong30(q: ByteQueue, protocol: number, minBytes: number): number {
  return protocol < 30 ? readLongint(q) : readVarlong(q, minBytes);
}

/** A string with a one- or two-byte length (high bit of the first byte set for two). */
export function readVstring(q: ByteQueue, maxLength: number): Buffer {
  let length = q.u8();
  if (length & 0x80) length = (length & 0x7f) * 0x100 + q.u8();
  if (length > maxLength) throw new ProtocolError(`over-long vstring received (${length} > ${maxLength})`);
  return q.bytes(length);
}

export function encodeInt(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(value | 0, 0);
  return b;
}

export function encodeVarint(value: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeInt32LE(value | 0, 1);
  let count = 4;
  while (count > 1 && b[count] === 0) count--;
  const bit = 1 << (8 - count);
  if (b[count]! >= bit) {
    count++;
    b[0] = ~(bit - 1) & 0xff;
  } else if (count > 1) {
    b[0] = (b[count]! | ~(bit * 2 - 1)) & 0xff;
  } else {
    b[0] = b[1]!;
  }
  return b.subarray(0, count);
}

export function encodeVarlong(value: number, minBytes: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeBigInt64LE(BigInt(value), 1);
  let count = 8;
  while (count > minBytes && b[count] === 0) count--;
  const bit = 1 << (7 - count + minBytes);
  if (b[count]! >= bit) {
    count++;
    b[0] = ~(bit - 1) & 0xff;
  } else if (count > minBytes) {
    b[0] = (b[count]! | ~(bit * 2 - 1)) & 0xff;
  } else {
    b[0] = b[count]!;
  }
  return b.subarray(0, count);
}

export function encodeVstring(value: Buffer): Buffer {
  if (value.length > 0x7fff) throw new RangeError(`vstring too long: ${value.length}`);
  const prefix = value.length > 0x7f ? Buffer.from([(value.length >> 8) | 0x80, value.length & 0xff]) : Buffer.from([value.length]);
  return Buffer.concat([prefix, value]);
}
