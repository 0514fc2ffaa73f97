// rsync's multiplexed stream (io.c): frames of a 4-byte little-endian header,
// (MPLEX_BASE + tag) << 24 | length, then the payload. Tag 0 carries the
// protocol data; the others are messages (log lines, errors, indexes).
import { MAX_FRAME_LENGTH, MPLEX_BASE, MSG } from './constants.js';
import { ProtocolError } from './errors.js';

export function encodeFrameHeader(tag: number, length: number): Buffer {
  if (length > MAX_FRAME_LENGTH) throw new RangeError(`frame too long: ${length}`);
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32LE(((MPLEX_BASE + tag) * 0x1000000 + length) >>> 0, 0);
  return header;
}

export function encodeMessage(tag: number, payload: Buffer): Buffer {
  return Buffer.concat([encodeFrameHeader(tag, payload.length), payload]);
}

export function encodeIntMessage(tag: number, value: number): Buffer {
  const frame = Buffer.allocUnsafe(8);
  encodeFrameHeader(tag, 4).copy(frame, 0);
  frame.writeInt32LE(value, 4);
  return frame;
}

export interface DemuxHandler {
  /** A piece of protocol data, as a view of the received chunk (empty for a keep-alive). */
  data(piece: Buffer): void;
  /** A whole message frame. */
  message(tag: number, payload: Buffer): void;
  /** A frame's header has been read: its tag and length (for a protocol trace). */
  frame?(tag: number, length: number): void;
}

/** Largest message (not data) frame accepted; rsync's own limit is a path buffer. */
const MAX_MESSAGE = 1 << 20;

/**
 * Splits a multiplexed stream back into data and messages. Data is handed on
 * as soon as it arrives, without waiting for the end of its frame; a message
 * is handed on whole.
 */
export class Demuxer {
  private header = Buffer.alloc(4);
  private headerFill = 0;
  private tag = 0;
  private remaining = 0;
  private inFrame = false;
  private messageParts: Buffer[] = [];

  constructor(private readonly handler: DemuxHandler) {}

  /** True between frames: a clean place for the stream to end. */
  get atFrameBoundary(): boolean {
    return !this.inFrame && this.headerFill === 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (!this.inFrame) {
        const take = Math.min(4 - this.headerFill, chunk.length - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < 4) return;
        this.startFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - pos);
      const piece = chunk.subarray(pos, pos + take);
      pos += take;
      this.remaining -= take;
      if (this.tag === MSG.DATA) this.handler.data(piece);
      else this.messageParts.push(piece);
      if (this.remaining === 0) this.endFrame();
    }
  }

  private startFrame(): void {
    const word = this.header.readUInt32LE(0);
    this.headerFill = 0;
    this.tag = Math.floor(word / 0x1000000) - MPLEX_BASE;
    this.remaining = word & MAX_FRAME_LENGTH;
    if (this.tag < 0) throw new ProtocolError(`unexpected tag ${this.tag} in multiplexed stream (header 0x${word.toString(16).padStart(8, '0')})`);
    if (this.tag !== MSG.DATA && this.remaining > MAX_MESSAGE) {
      throw new ProtocolError(`message ${this.tag} of ${this.remaining} bytes is too long`);
    }
    this.inFrame = true;
    this.handler.frame?.(this.tag, this.remaining);
    if (this.remaining > 0) return;
    if (this.tag === MSG.DATA) this.handler.data(EMPTY);
    this.endFrame();
  }

  private endFrame(): void {
    this.inFrame = false;
    if (this.tag === MSG.DATA) return;
    const payload = this.messageParts.length === 1 ? this.messageParts[0]! : Buffer.concat(this.messageParts);
    this.messageParts = [];
    this.handler.message(this.tag, payload);
  }
}

const EMPTY = Buffer.alloc(0);
