// --files-from names as a server reads them from its input
// (forward_filesfrom_data in rsync's io.c): each name ends with a NUL (a
// list read without --from0 has its line ends turned into NULs), empty
// names are dropped, and an empty name ends the list.

/**
 * A list relaysync reads itself, written for the source: rsync's client
 * reads a local list with read_line(), which drops comment lines (# or ;
 * first) and empty ones, with or without --from0.
 */
export class FilesFromEncoder {
  /** Whether the last byte sent ended a name (true at the start: nothing to end). */
  private atNameStart = true;
  /** Inside a comment line, which is dropped up to its end. */
  private inComment = false;

  constructor(private readonly from0: boolean) {}

  push(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (const byte of chunk) {
      const b = !this.from0 && (byte === 0x0a || byte === 0x0d) ? 0 : byte;
      if (this.inComment) {
        this.inComment = b !== 0;
      } else if (this.atNameStart && (b === 0x23 || b === 0x3b)) {
        this.inComment = true;
      } else if (b !== 0 || !this.atNameStart) {
        out[n++] = b;
        this.atNameStart = b === 0;
      }
    }
    return out.subarray(0, n);
  }

  /** The end of the list: an empty name (after ending the last one, if it was not ended). */
  end(): Buffer {
    return Buffer.from(this.atNameStart ? [0] : [0, 0]);
  }
}

const NOTHING = Buffer.alloc(0);

/**
 * Follows such a list at the head of a stream, chunk by chunk, up to its
 * end (the NUL of the empty name), and splits each chunk into the part that
 * is still the list and what comes after it.
 */
export class FilesFromList {
  /** Whether the last byte seen ended a name (true before any byte). */
  private atNameStart = true;
  ended = false;

  /** The list's part of `chunk` (its end included) and the rest; all rest once the list has ended. */
  split(chunk: Buffer): { names: Buffer; rest: Buffer } {
    if (this.ended) return { names: NOTHING, rest: chunk };
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0) {
        this.atNameStart = false;
      } else if (this.atNameStart) {
        this.ended = true;
        return { names: chunk.subarray(0, i + 1), rest: chunk.subarray(i + 1) };
      } else {
        this.atNameStart = true;
      }
    }
    return { names: chunk, rest: NOTHING };
  }
}
