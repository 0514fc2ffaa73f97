// Follows the source's data stream, which the broker relays to the
// destination as it is: the file lists, then for each index the destination
// asked for, its item flags and (for a transfer) the block layout, the
// tokens and the whole-file checksum; at the end the sender's statistics,
// which a client consumes, so they are cut out of the relayed bytes.
// Everything else passes through as views of the received chunks.
import { ByteQueue, Truncated } from '../protocol/byte-queue.js';
import { ITEM, MAXPATHLEN, NDX_DEL_STATS, NDX_DONE, NDX_FLIST_EOF, NDX_FLIST_OFFSET } from '../protocol/constants.js';
import { ProtocolError } from '../protocol/errors.js';
import { FlistDecoder, type FileEntry, type FlistLayout } from '../protocol/flist-decoder.js';
import { readVarint, readVarint30, readVarlong30, readVstring } from '../protocol/ints.js';
import { NdxDecoder } from '../protocol/ndx.js';
import { TokenScanner, type BlockLayout } from '../protocol/tokens.js';
import { FileLists, type FileList } from './file-lists.js';
import { SenderPhases } from './sender-phases.js';

export interface StreamLayout extends FlistLayout {
  readonly incRecurse: boolean;
  /** False with --dry-run: transfers then carry no data. */
  readonly doXfers: boolean;
  /** Tokens use the compressed framing (-z). */
  readonly compressed: boolean;
  /** Length of the whole-file checksum after each transfer's tokens. */
  readonly transferChecksumLength: number;
  /** Which id-to-name lists follow a whole (non-incremental) file list. */
  readonly uidList: boolean;
  readonly gidList: boolean;
  /** Compat ID0_NAMES: each id list ends with the name of id 0. */
  readonly id0Names: boolean;
  /** Protocol 31 without the 'x' capability: no xattr values follow a hard link the receiver made itself. */
  readonly xattrOptimization: boolean;
  /** --append or --append-verify: a first request carries no block checksums. */
  readonly appendMode: boolean;
  /** --iconv: indexes count entries in the order sent, not sorted. */
  readonly unsortedIndexes: boolean;
  /** Keep each entry's -c checksum (an output format shows it with %C). */
  readonly keepChecksums?: boolean;
}

/** The sender's end-of-run statistics (handle_stats in rsync's main.c). */
export interface SenderStats {
  readonly totalRead: number;
  readonly totalWritten: number;
  readonly totalSize: number;
  /** Milliseconds; protocol 29+ only. */
  readonly flistBuildTime: number;
  readonly flistTransferTime: number;
}

/**
 * What the sender wrote and read for one file, as rsync's --out-format
 * reports it: %b counts the item's bytes from its index to its checksum,
 * %c the block checksums the sender read for it, %C shows the checksum.
 */
export interface SentFile {
  readonly written: number;
  readonly read: number;
  /** The whole-file checksum after the tokens. */
  readonly checksum: Buffer;
}

export interface DeleteStats {
  readonly files: number;
  readonly dirs: number;
  readonly symlinks: number;
  readonly devices: number;
  readonly specials: number;
}

export interface SenderStreamEvents {
  /** A file list has arrived whole and been sorted; ioError carries the sender's I/O-error bits for it, bytes its size on the wire. */
  fileList(list: FileList, ioError: number, bytes: number): void;
  /** The sender has sent its last file list. */
  listsComplete(): void;
  /** The sender answered an index: item flags, and the name the generator sent with it (hard-link target, basis). */
  item(ndx: number, iflags: number, entry: FileEntry | undefined, xname: Buffer | undefined): void;
  /** Data of a transfer in progress (bytes as sent, and block matches). */
  progress(ndx: number, literalBytes: number, matchedBytes: number): void;
  /** A transfer's data has ended. */
  transferred(ndx: number, entry: FileEntry | undefined, literalBytes: number, matchedBytes: number, sent: SentFile): void;
  /** The sender answered the generator's NDX_DONE: a file list or a phase is over. */
  ndxDone(): void;
  deleteStats(stats: DeleteStats): void;
  senderStats(stats: SenderStats): void;
}

/** A transfer in progress: where its item began in the stream, and the size of the block checksums the sender read for it. */
interface Sending {
  readonly ndx: number;
  readonly scanner: TokenScanner;
  readonly start: number;
  readonly sums: number;
}

type State =
  | { kind: 'list'; list: FileList; start: number }
  | { kind: 'id-lists'; list: FileList; ioError: number; start: number }
  | { kind: 'io-error'; list: FileList; start: number }
  | { kind: 'index' }
  | { kind: 'tokens'; sending: Sending }
  | { kind: 'file-checksum'; sending: Sending }
  | { kind: 'stats' }
  | { kind: 'goodbye' }
  | { kind: 'done' };

export class SenderStream {
  private readonly queue = new ByteQueue();
  private readonly ndx: NdxDecoder;
  private readonly flist: FlistDecoder;
  readonly lists: FileLists;
  private state: State;
  private readonly phases: SenderPhases;
  /** Absolute stream offsets of the statistics, which are not relayed. */
  private statsStart = Infinity;
  private statsEnd = Infinity;
  private received = 0;
  /** Bytes of file-list data seen, for --stats. */
  fileListBytes = 0;
  /** The source found nothing to send: it ends after the list, without the rest of a sender's part. */
  firstListEmpty = false;

  constructor(
    private readonly layout: StreamLayout,
    private readonly events: SenderStreamEvents,
  ) {
    this.ndx = new NdxDecoder(layout.protocol);
    this.flist = new FlistDecoder(layout);
    this.lists = new FileLists(layout.incRecurse, {
      owners: layout.preserveUid || layout.preserveGid,
      hardLinks: layout.preserveHardLinks,
      unsorted: layout.unsortedIndexes,
      checksums: layout.keepChecksums === true && layout.checksumLength > 0,
    });
    this.phases = new SenderPhases(layout.protocol, layout.incRecurse);
    this.state = this.beginList(undefined, 0);
  }

  /** True once the sender has said all it will say. */
  get finished(): boolean {
    return this.state.kind === 'done';
  }

  /** The sender has sent its statistics: its part of the run is over. */
  get statsSent(): boolean {
    return this.statsEnd !== Infinity;
  }

  /** What the stream is in the middle of, for messages about a cut-off stream. */
  get where(): string {
    switch (this.state.kind) {
      case 'list':
      case 'id-lists':
      case 'io-error':
        return 'the file list';
      case 'tokens':
      case 'file-checksum':
        return 'a file transfer';
      case 'stats':
      case 'goodbye':
        return 'the end of the run';
      default:
        return 'the transfer';
    }
  }

  /**
   * Takes the next piece of the source's data and returns the parts of it to
   * relay to the destination (views, no copies).
   */
  push(piece: Buffer): Buffer[] {
    const start = this.received;
    this.received += piece.length;
    this.queue.push(piece);
    this.parse();
    return this.relayable(piece, start);
  }

  private relayable(piece: Buffer, start: number): Buffer[] {
    const end = start + piece.length;
    if (end <= this.statsStart || start >= this.statsEnd) return [piece];
    const parts: Buffer[] = [];
    if (start < this.statsStart) parts.push(piece.subarray(0, this.statsStart - start));
    if (end > this.statsEnd) parts.push(piece.subarray(Math.max(0, this.statsEnd - start)));
    return parts;
  }

  /** Each step reads a whole item before it changes any state, so an incomplete one can be retried. */
  private parse(): void {
    for (;;) {
      const mark = this.queue.mark();
      const ndxState = this.ndx.save();
      try {
        if (!this.step()) break;
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        this.queue.rewind(mark);
        this.ndx.restore(ndxState);
        break;
      }
    }
    this.queue.discardRead();
  }

  /** start: where the list began in the stream (its index, for an incremental one), for its size. */
  private beginList(dirNdx: number | undefined, start: number): State {
    const list = this.lists.begin(dirNdx);
    this.flist.beginList(list.ndxStart, (i) => list.received(i));
    return { kind: 'list', list, start };
  }

  /** Parses one item; false when the stream has nothing more to give now. */
  private step(): boolean {
    const q = this.queue;
    const L = this.layout;
    const s = this.state;
    switch (s.kind) {
      case 'list': {
        const before = q.mark();
        const read = this.flist.read(q);
        this.fileListBytes += q.mark() - before;
        if ('name' in read) {
          s.list.add(read);
          return true;
        }
        this.lists.finish(s.list, L.protocol);
        if (s.list.ndxStart === (L.incRecurse ? 1 : 0)) this.firstListEmpty = s.list.count === 0;
        if (L.incRecurse) {
          this.events.fileList(s.list, read.ioError, q.mark() - s.start);
          this.state = { kind: 'index' };
        } else {
          this.state = { kind: 'id-lists', list: s.list, ioError: read.ioError, start: s.start };
        }
        return true;
      }
      case 'id-lists': {
        if (L.uidList) readIdList(q, L.protocol, L.id0Names);
        if (L.gidList) readIdList(q, L.protocol, L.id0Names);
        if (L.protocol < 30) {
          this.state = { kind: 'io-error', list: s.list, start: s.start };
        } else {
          this.events.fileList(s.list, s.ioError, q.mark() - s.start);
          this.events.listsComplete();
          this.state = { kind: 'index' };
        }
        return true;
      }
      case 'io-error': {
        const ioError = q.i32();
        this.events.fileList(s.list, ioError, q.mark() - s.start);
        this.events.listsComplete();
        this.state = { kind: 'index' };
        return true;
      }
      case 'index':
        return this.readIndex();
      case 'tokens': {
        const { ndx, scanner } = s.sending;
        const done = scanner.scan(q);
        this.events.progress(ndx, scanner.literalBytes, scanner.matchedBytes);
        if (done) this.state = { kind: 'file-checksum', sending: s.sending };
        return done;
      }
      case 'file-checksum': {
        const { ndx, scanner, start, sums } = s.sending;
        const checksum = Buffer.from(q.bytes(L.transferChecksumLength));
        const sent = { written: q.mark() - start, read: sums, checksum };
        this.events.transferred(ndx, this.lists.get(ndx), scanner.literalBytes, scanner.matchedBytes, sent);
        this.state = { kind: 'index' };
        return true;
      }
      case 'stats': {
        const totalRead = readVarlong30(q, L.protocol, 3);
        const totalWritten = readVarlong30(q, L.protocol, 3);
        const totalSize = readVarlong30(q, L.protocol, 3);
        const times = L.protocol >= 29 ? [readVarlong30(q, L.protocol, 3), readVarlong30(q, L.protocol, 3)] : [0, 0];
        this.statsEnd = q.mark();
        this.events.senderStats({ totalRead, totalWritten, totalSize, flistBuildTime: times[0]!, flistTransferTime: times[1]! });
        this.state = L.protocol >= 31 ? { kind: 'goodbye' } : { kind: 'done' };
        return true;
      }
      case 'goodbye': {
        // The generator's late deletion counts come through here too: the sender echoes them.
        const ndx = this.ndx.read(q);
        if (ndx === NDX_DEL_STATS) this.readDeleteStats();
        else if (ndx === NDX_DONE) this.state = { kind: 'done' };
        else throw new ProtocolError(`expected the end of the run, got index ${ndx}`);
        return true;
      }
      case 'done':
        if (q.available > 0) throw new ProtocolError(`${q.available} bytes after the end of the run`);
        return false;
    }
  }

  private readIndex(): boolean {
    const q = this.queue;
    const L = this.layout;
    const start = q.mark();
    const ndx = this.ndx.read(q);
    if (ndx === NDX_DONE) {
      this.events.ndxDone();
      if (this.phases.next(this.lists)) {
        this.statsStart = this.queue.mark();
        this.state = { kind: 'stats' };
      }
      return true;
    }
    if (ndx === NDX_DEL_STATS) {
      this.readDeleteStats();
      return true;
    }
    if (ndx < 0) {
      if (!L.incRecurse) throw new ProtocolError(`invalid file index ${ndx}`);
      if (ndx === NDX_FLIST_EOF) {
        this.events.listsComplete();
        return true;
      }
      if (ndx > NDX_FLIST_OFFSET) throw new ProtocolError(`invalid file index ${ndx}`);
      try {
        this.state = this.beginList(NDX_FLIST_OFFSET - ndx, start);
      } catch (err) {
        throw new ProtocolError(`file list for an unknown directory: ${(err as Error).message}`);
      }
      return true;
    }
    const iflags = L.protocol >= 29 ? q.u16() : ITEM.TRANSFER | ITEM.MISSING_DATA;
    const entry = this.lists.get(ndx);
    if (entry === undefined && L.protocol < 30 && iflags === ITEM.IS_NEW) return true; // a protocol-29 keep-alive
    if (entry === undefined) throw new ProtocolError(`file index ${ndx} is not in any file list`);
    if (iflags & ITEM.BASIS_TYPE_FOLLOWS) q.u8();
    const xname = iflags & ITEM.XNAME_FOLLOWS ? Buffer.from(readVstring(q, MAXPATHLEN)) : undefined;
    if (this.sendsXattrValues(iflags)) readXattrValues(q);
    const headStart = q.mark();
    const blocks = iflags & ITEM.TRANSFER && L.doXfers ? readBlockLayout(q, L.protocol) : undefined;
    this.events.item(ndx, iflags, entry, xname);
    if (blocks) {
      // What the sender read for this file: the layout and the block checksums the generator sent.
      const sums = q.mark() - headStart + blockChecksumBytes(blocks);
      this.state = { kind: 'tokens', sending: { ndx, scanner: new TokenScanner(L.compressed, blocks), start, sums } };
    }
    return true;
  }

  /** After an item that reports changed xattrs, the sender sends the long values the generator asked for. */
  private sendsXattrValues(iflags: number): boolean {
    const L = this.layout;
    const optimized = L.xattrOptimization && (iflags & (ITEM.XNAME_FOLLOWS | ITEM.LOCAL_CHANGE)) === (ITEM.XNAME_FOLLOWS | ITEM.LOCAL_CHANGE);
    return L.preserveXattrs && (iflags & ITEM.REPORT_XATTR) !== 0 && L.doXfers && !optimized;
  }

  private readDeleteStats(): void {
    const q = this.queue;
    const [files, dirs, symlinks, devices, specials] = [readVarint(q), readVarint(q), readVarint(q), readVarint(q), readVarint(q)];
    this.events.deleteStats({ files: files!, dirs: dirs!, symlinks: symlinks!, devices: devices!, specials: specials! });
  }
}

/** The block layout the generator asked for, which the sender repeats before its tokens (read_sum_head). */
export function readBlockLayout(q: ByteQueue, protocol: number): BlockLayout & { readonly strongLength: number } {
  const count = q.i32();
  const blockLength = q.i32();
  // Before protocol 27 the strong checksums had no length of their own: 2 bytes each.
  const strongLength = protocol >= 27 ? q.i32() : 2;
  const remainder = q.i32();
  if (count < 0 || blockLength < 0 || remainder < 0 || remainder > blockLength || strongLength < 0 || strongLength > 64) {
    throw new ProtocolError(`invalid block layout (count ${count}, length ${blockLength}, remainder ${remainder}, strong sums of ${strongLength})`);
  }
  return { count, blockLength, remainder, strongLength };
}

/** The block checksums that follow a block layout from the generator: a weak (4-byte) and a strong one per block. */
export function blockChecksumBytes(blocks: { readonly count: number; readonly strongLength: number }): number {
  return blocks.count * (4 + blocks.strongLength);
}

/** The long xattr values a sender sends on request (send_xattr_request): number, length, bytes; ended by 0. */
function readXattrValues(q: ByteQueue): void {
  while (readVarint(q) !== 0) q.bytes(readVarint(q));
}

/** An id-to-name list (uidlist.c recv_id_list): ids with names, ended by 0 (and then id 0's name). */
function readIdList(q: ByteQueue, protocol: number, id0Names: boolean): void {
  while (readVarint30(q, protocol) !== 0) q.bytes(q.u8());
  if (id0Names) q.bytes(q.u8());
}
