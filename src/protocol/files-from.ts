// --files-from names as a server reads them from its input
// (forward_filesfrom_data in rsync's io.c): each name ends with a NUL (a
// list read without --from0 has its line ends turned into NULs), empty
// names are dropped, and an empty name ends the list.

export class FilesFromEncoder {
  /** Whether the last byte sent ended a name (true at the start: nothing to end). */
  private atNameStart = true;

  constructor(private readonly from0: boolean) {}

  push(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (const byte of chunk) {
      const b = !this.from0 && (byte === 0x0a || byte === 0x0d) ? 0 : byte;
      if (b === 0 && this.atNameStart) continue;
      out[n++] = b;
      this.atNameStart = b === 0;
    }
    return out.subarray(0, n);
  }

  /** The end of the list: an empty name (after ending the last one, if it was not ended). */
  end(): Buffer {
    return Buffer.from(this.atNameStart ? [0] : [0, 0]);
  }
}

/**
 * Finds where such a list ends in a stream: the NUL of the empty name.
 * Returns the offset just past it, or -1; `atNameStart` carries over from
 * the previous chunk (true before any byte).
 */
export function filesFromEnd(chunk: Buffer, atNameStart: boolean): { end: number; atNameStart: boolean } {
  let start = atNameStart;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 0) {
      if (start) return { end: i + 1, atNameStart: true };
      start = true;
    } else {
      start = false;
    }
  }
  return { end: -1, atNameStart: start };
}
