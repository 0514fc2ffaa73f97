// The counts rsync's --stats reports, gathered from what the broker relays.
// A client sender counts most of them itself; here they come from the
// source's stream (file lists, tokens), the destination's requests (a
// client sender counts a transfer when it reads the request, whether or
// not the file can then be opened) and the source's end-of-run statistics.
import { ITEM } from '../protocol/constants.js';
import { isDevice, isDirectory, isRegular, isSpecial, isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import type { FileList } from './file-lists.js';
import type { Settlement } from './handshake.js';
import type { RunEvents } from './run-relay.js';
import type { DeleteStats, SenderStats } from './sender-stream.js';

/** Counts by file type, as rsync breaks them down: total, then dirs, symlinks, devices, specials. */
export interface TypeCounts {
  total: number;
  dirs: number;
  symlinks: number;
  devices: number;
  specials: number;
}

/**
 * rsync's output buffer (io.c, twice IO_BUFFER_SIZE): a client sender's
 * "File list size" counts the bytes it wrote to the socket while it built
 * each list, and it writes only when the buffer fills. A list smaller than
 * the buffer counts 0, a larger one its whole buffers' worth.
 */
const OUTPUT_BUFFER = 64 * 1024;

const zero = (): TypeCounts => ({ total: 0, dirs: 0, symlinks: 0, devices: 0, specials: 0 });

function count(into: TypeCounts, mode: number): void {
  into.total++;
  if (isDirectory(mode)) into.dirs++;
  else if (isSymlink(mode)) into.symlinks++;
  else if (isDevice(mode)) into.devices++;
  else if (isSpecial(mode)) into.specials++;
}

/**
 * A transferred file's literal data as rsync counts it, before compression.
 * Compressed tokens cannot be inflated here (zlib mixes matched blocks into
 * its history), but every byte of a file is either literal or matched, so
 * the file's size less the matched bytes is the same number.
 */
export function literalData(compressed: boolean, entry: FileEntry | undefined, literalOnWire: number, matched: number): number {
  return compressed && entry ? Math.max(entry.size - matched, 0) : literalOnWire;
}

/** Whether the handshake settled on compressed tokens. */
export function isCompressed(s: Settlement): boolean {
  return s.compression !== undefined && s.compression !== 'none';
}

export class RunStats implements Partial<RunEvents> {
  readonly files = zero();
  readonly created = zero();
  deletedFiles = zero();
  transferredFiles = 0;
  transferredSize = 0;
  literalData = 0;
  matchedData = 0;
  fileListSize = 0;
  sender: SenderStats | undefined;
  /** Regular files' and symlinks' sizes in the file lists (the total size before the sender reports it). */
  listedSize = 0;

  /** Whether tokens are compressed, which changes how literal data is counted. */
  private compressed = false;

  settled(s: Settlement): void {
    this.compressed = isCompressed(s);
  }

  fileList(list: FileList, _ioError: number, bytes: number): void {
    this.fileListSize += Math.floor(bytes / OUTPUT_BUFFER) * OUTPUT_BUFFER;
    for (let i = 0; i < list.count; i++) {
      const mode = list.mode(i);
      count(this.files, mode);
      if (isRegular(mode) || isSymlink(mode)) this.listedSize += list.size(i);
    }
  }

  requested(_ndx: number, iflags: number, entry: FileEntry | undefined): void {
    if (!entry) return;
    if (iflags & ITEM.TRANSFER) {
      this.transferredFiles++;
      this.transferredSize += entry.size;
    }
    if (iflags & ITEM.IS_NEW) count(this.created, entry.mode);
  }

  transferred(_ndx: number, entry: FileEntry | undefined, literalOnWire: number, matched: number): void {
    this.literalData += literalData(this.compressed, entry, literalOnWire, matched);
    this.matchedData += matched;
  }

  senderStats(s: SenderStats): void {
    this.sender = s;
  }

  deleteStats(d: DeleteStats): void {
    this.deletedFiles = { total: d.files + d.dirs + d.symlinks + d.devices + d.specials, dirs: d.dirs, symlinks: d.symlinks, devices: d.devices, specials: d.specials };
  }

  /** The total size rsync reports: the sender's own figure once it has sent it. */
  get totalSize(): number {
    return this.sender?.totalSize ?? this.listedSize;
  }
}
