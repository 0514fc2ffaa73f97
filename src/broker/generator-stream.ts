// Follows the destination's generator as it asks the source for files (the
// generator half of rsync's generator.c, as a client sender reads it in
// read_ndx_and_attrs): for each index its item flags, the basis and the
// name that may follow, the xattr values it wants, and for a transfer the
// block checksums; NDX_DONE at the end of each list and phase; the deletion
// counts. The broker relays these bytes to the source unchanged. Reading
// them tells where the generator's own messages fall among the items (a
// client sender reads both from one stream, in that order), and what a
// client sender counts when it reads a request.
import { ByteQueue, Truncated } from '../protocol/byte-queue.js';
import { ITEM, MAXPATHLEN, NDX_DEL_STATS, NDX_DONE } from '../protocol/constants.js';
import { ProtocolError } from '../protocol/errors.js';
import { FilesFromList } from '../protocol/files-from.js';
import type { FileEntry } from '../protocol/flist-decoder.js';
import { readVarint, readVstring } from '../protocol/ints.js';
import { NdxDecoder } from '../protocol/ndx.js';
import type { FileLists } from './file-lists.js';
import { blockChecksumBytes, readBlockLayout, type StreamLayout } from './sender-stream.js';

export interface GeneratorStreamEvents {
  /**
   * The generator asked about an index (its item flags, implied before
   * protocol 29), or sent NDX_DONE (then entry is undefined).
   */
  requested(ndx: number, iflags: number, entry: FileEntry | undefined): void;
}

export class GeneratorStream {
  private readonly queue = new ByteQueue();
  private readonly ndx: NdxDecoder;
  /** Block checksums of the last transfer request still to pass: skipped as they come, never held. */
  private sums = 0;
  /** With --append, the files requested once: a second request (the redo phase) carries checksums. */
  private readonly requestedOnce = new Set<number>();
  /** A --files-from list the destination reads comes first (from protocol 31 inside its data). */
  private readonly listAhead: FilesFromList | undefined;

  constructor(
    private readonly layout: StreamLayout,
    /** The lists the source sent, which the generator's indexes refer to. */
    private readonly lists: FileLists,
    private readonly events: GeneratorStreamEvents,
    namesFirst = false,
  ) {
    this.ndx = new NdxDecoder(layout.protocol);
    if (namesFirst) this.listAhead = new FilesFromList();
  }

  push(piece: Buffer): void {
    const q = this.queue;
    q.push(this.listAhead ? this.listAhead.split(piece).rest : piece);
    for (;;) {
      if (this.sums > 0) {
        this.sums -= q.skipUpTo(this.sums);
        if (this.sums > 0) break;
      }
      if (q.available === 0) break;
      const mark = q.mark();
      const ndxState = this.ndx.save();
      try {
        this.readRequest();
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        q.rewind(mark);
        this.ndx.restore(ndxState);
        break;
      }
    }
    q.discardRead();
  }

  /** Reads one request whole (all but its block checksums) before it reports it. */
  private readRequest(): void {
    const q = this.queue;
    const L = this.layout;
    const ndx = this.ndx.read(q);
    if (ndx === NDX_DONE) {
      this.events.requested(NDX_DONE, 0, undefined);
      return;
    }
    if (ndx === NDX_DEL_STATS) {
      for (let i = 0; i < 5; i++) readVarint(q);
      return;
    }
    if (ndx < 0) throw new ProtocolError(`the receiver sent an invalid file index ${ndx}`);
    const iflags = L.protocol >= 29 ? q.u16() : ITEM.TRANSFER | ITEM.MISSING_DATA;
    const entry = this.lists.get(ndx);
    // Protocol 29's keep-alive: an index just past the list, flagged new.
    if (entry === undefined && L.protocol < 30 && iflags === ITEM.IS_NEW) return;
    if (entry === undefined) throw new ProtocolError(`the receiver asked for file index ${ndx}, which is not in any file list`);
    if (iflags & ITEM.BASIS_TYPE_FOLLOWS) q.u8();
    if (iflags & ITEM.XNAME_FOLLOWS) readVstring(q, MAXPATHLEN);
    if (this.asksXattrValues(iflags)) while (readVarint(q) !== 0);
    if (iflags & ITEM.TRANSFER && L.doXfers) {
      const blocks = readBlockLayout(q, L.protocol);
      this.sums = this.appendsTo(ndx) ? 0 : blockChecksumBytes(blocks);
    }
    this.events.requested(ndx, iflags, entry);
  }

  /** Whether the generator sends only the block layout (append mode, off again for a redo). */
  private appendsTo(ndx: number): boolean {
    if (!this.layout.appendMode || this.requestedOnce.has(ndx)) return false;
    this.requestedOnce.add(ndx);
    return true;
  }

  /** The numbers of the long xattr values the generator wants (send_xattr_request), ended by 0. */
  private asksXattrValues(iflags: number): boolean {
    const L = this.layout;
    const optimized = L.xattrOptimization && (iflags & (ITEM.XNAME_FOLLOWS | ITEM.LOCAL_CHANGE)) === (ITEM.XNAME_FOLLOWS | ITEM.LOCAL_CHANGE);
    return L.preserveXattrs && L.doXfers && (iflags & ITEM.REPORT_XATTR) !== 0 && !optimized;
  }
}
