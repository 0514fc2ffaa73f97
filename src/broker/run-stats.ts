// The counts rsync's --stats reports, gathered from what the broker relays.
// A client sender counts most of them itself; here they come from the
// source's stream (file lists, items, tokens) and its end-of-run statistics.
import { ITEM } from '../protocol/constants.js';
import { isDevice, isDirectory, isRegular, isSpecial, isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import type { DeleteStats, SenderStats } from './sender-stream.js';

/** Counts by file type, as rsync breaks them down: total, then dirs, symlinks, devices, specials. */
export interface TypeCounts {
  total: number;
  dirs: number;
  symlinks: number;
  devices: number;
  specials: number;
}

const zero = (): TypeCounts => ({ total: 0, dirs: 0, symlinks: 0, devices: 0, specials: 0 });

function count(into: TypeCounts, mode: number): void {
  into.total++;
  if (isDirectory(mode)) into.dirs++;
  else if (isSymlink(mode)) into.symlinks++;
  else if (isDevice(mode)) into.devices++;
  else if (isSpecial(mode)) into.specials++;
}

export class RunStats {
  readonly files = zero();
  readonly created = zero();
  deleted = zero();
  transferredFiles = 0;
  transferredSize = 0;
  literalData = 0;
  matchedData = 0;
  fileListSize = 0;
  sender: SenderStats | undefined;
  /** Regular files' and symlinks' sizes in the file lists (the total size before the sender reports it). */
  listedSize = 0;
  readonly startedAt = Date.now();

  fileList(entries: readonly FileEntry[]): void {
    for (const e of entries) {
      count(this.files, e.mode);
      if (isRegular(e.mode) || isSymlink(e.mode)) this.listedSize += e.size;
    }
  }

  item(iflags: number, entry: FileEntry): void {
    if (iflags & ITEM.TRANSFER) {
      this.transferredFiles++;
      this.transferredSize += entry.size;
    }
    if (iflags & ITEM.IS_NEW) count(this.created, entry.mode);
  }

  transferred(literal: number, matched: number): void {
    this.literalData += literal;
    this.matchedData += matched;
  }

  deleteStats(d: DeleteStats): void {
    this.deleted = { total: d.files + d.dirs + d.symlinks + d.devices + d.specials, dirs: d.dirs, symlinks: d.symlinks, devices: d.devices, specials: d.specials };
  }

  /** The total size rsync reports: the sender's own figure once it has sent it. */
  get totalSize(): number {
    return this.sender?.totalSize ?? this.listedSize;
  }
}
