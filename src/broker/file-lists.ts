// The broker's copy of the file lists it has relayed, so that an index on
// the wire can be named. Like rsync's sender it keeps them as a chain: with
// incremental recursion each list takes the indexes after the previous one
// plus one, the index just before a list stands for the directory the list
// fills in, and the oldest list is dropped when the generator is done with it.
//
// A list can hold a million entries, so it is kept in columns: the names'
// bytes in one growing buffer, the attributes in typed arrays. An entry is
// made into an object only when someone asks for it.
import type { FileEntry } from '../protocol/flist-decoder.js';
import { isDirectory } from '../protocol/flist-decoder.js';
import { compareFileNames } from '../protocol/flist-sort.js';

type TypedArray = Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Entries per chunk of a column: columns grow by whole chunks, never by copying. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * One attribute of every entry, in typed-array chunks. The first chunk
 * starts small and doubles (most incremental lists are one directory's
 * worth); the rest are allocated whole, so a big list never copies itself.
 */
class Column<T extends TypedArray> {
  private readonly chunks: T[] = [];

  constructor(private readonly make: (n: number) => T) {}

  set(i: number, value: number): void {
    const c = i >> CHUNK_BITS;
    const offset = i & IN_CHUNK;
    if (c === this.chunks.length) this.chunks.push(this.make(c === 0 ? 64 : CHUNK));
    let chunk = this.chunks[c]!;
    if (offset >= chunk.length) {
      const bigger = this.make(Math.min(chunk.length * 2, CHUNK));
      bigger.set(chunk);
      this.chunks[c] = chunk = bigger;
    }
    chunk[offset] = value;
  }

  get(i: number): number {
    return this.chunks[i >> CHUNK_BITS]![i & IN_CHUNK]!;
  }
}

/** Name bytes in fixed-size buffers; an entry's name never spans two. */
const NAME_BLOCK = 1 << 18;

class NameStore {
  private readonly blocks: Buffer[] = [];
  private used = 0;
  /** Block number and offset of each name, packed: block << 18 | offset. */
  private readonly places = new Column((n) => new Uint32Array(n));
  private readonly lengths = new Column((n) => new Uint16Array(n));

  add(i: number, name: Buffer): void {
    const last = this.blocks.length - 1;
    if (last === 0 && this.used + name.length > this.blocks[0]!.length && this.blocks[0]!.length < NAME_BLOCK) {
      // The first block starts small and doubles, like the first chunk of a column.
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(this.blocks[0]!.length * 2, this.used + name.length), NAME_BLOCK));
      this.blocks[0]!.copy(bigger, 0, 0, this.used);
      this.blocks[0] = bigger;
    }
    if (last < 0 || this.used + name.length > this.blocks[last]!.length) {
      this.blocks.push(Buffer.allocUnsafe(last < 0 ? Math.max(1024, name.length) : NAME_BLOCK));
      this.used = 0;
    }
    name.copy(this.blocks[this.blocks.length - 1]!, this.used);
    this.places.set(i, ((this.blocks.length - 1) << 18) | this.used);
    this.lengths.set(i, name.length);
    this.used += name.length;
  }

  get(i: number): Buffer {
    const place = this.places.get(i);
    const start = place & (NAME_BLOCK - 1);
    return this.blocks[place >>> 18]!.subarray(start, start + this.lengths.get(i));
  }

  /** Names i and j in rsync's order, compared where they are stored. */
  compare(i: number, iIsDir: boolean, j: number, jIsDir: boolean, protocol: number): number {
    const pi = this.places.get(i);
    const pj = this.places.get(j);
    const si = pi & (NAME_BLOCK - 1);
    const sj = pj & (NAME_BLOCK - 1);
    return compareFileNames(this.blocks[pi >>> 18]!, si, si + this.lengths.get(i), iIsDir, this.blocks[pj >>> 18]!, sj, sj + this.lengths.get(j), jIsDir, protocol);
  }
}

/** How a run's lists are kept: which attributes besides names, types, sizes and times, and in which order indexes count. */
export interface ListColumns {
  /** Owners, with -o/-g. */
  readonly owners: boolean;
  /** Hard-link groups, with -H. */
  readonly hardLinks: boolean;
  /** The -c checksums, kept only when an output format shows them (%C). */
  readonly checksums?: boolean;
  /**
   * With --iconv the two ends sort names in different charsets, so rsync
   * counts indexes (files and directories alike) in the order sent instead.
   */
  readonly unsorted: boolean;
}

export class FileList {
  private readonly names = new NameStore();
  private readonly modes = new Column((n) => new Uint32Array(n));
  private readonly sizes = new Column((n) => new Float64Array(n));
  private readonly mtimes = new Column((n) => new Float64Array(n));
  private readonly uids: Column<Uint32Array> | undefined;
  private readonly gids: Column<Uint32Array> | undefined;
  private readonly hardLinkFirsts: Column<Int32Array> | undefined;
  private readonly linkTargets = new Map<number, Buffer>();
  /** -c checksums are all of one length, so they are kept like names. */
  private readonly checksums: NameStore | undefined;
  private order: Uint32Array | undefined;
  count = 0;

  constructor(
    readonly ndxStart: number,
    /** The directory this list fills in (incremental recursion), named by index ndxStart - 1. */
    public parent: FileEntry | undefined,
    private readonly columns: ListColumns,
  ) {
    if (columns.owners) {
      this.uids = new Column((n) => new Uint32Array(n));
      this.gids = new Column((n) => new Uint32Array(n));
    }
    if (columns.hardLinks) this.hardLinkFirsts = new Column((n) => new Int32Array(n));
    if (columns.checksums) this.checksums = new NameStore();
  }

  add(e: FileEntry): void {
    const i = this.count++;
    this.names.add(i, e.name);
    this.modes.set(i, e.mode);
    this.sizes.set(i, e.size);
    this.mtimes.set(i, e.mtime);
    this.uids?.set(i, e.uid);
    this.gids?.set(i, e.gid);
    this.hardLinkFirsts?.set(i, e.hardLinkFirst);
    if (e.linkTarget) this.linkTargets.set(i, e.linkTarget);
    this.checksums?.add(i, e.checksum ?? Buffer.alloc(0));
  }

  /** The i-th entry in the order it was received. */
  received(i: number): FileEntry {
    return {
      name: this.names.get(i),
      mode: this.modes.get(i),
      size: this.sizes.get(i),
      mtime: this.mtimes.get(i),
      uid: this.uids?.get(i) ?? 0,
      gid: this.gids?.get(i) ?? 0,
      hardLinkFirst: this.hardLinkFirsts?.get(i) ?? -1,
      linkTarget: this.linkTargets.get(i),
      checksum: this.checksums?.get(i),
    };
  }

  /** Sorts the list as rsync does once it has been received whole; returns its directories in index order. */
  finish(protocol: number): FileEntry[] {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const isDir = (i: number): boolean => isDirectory(this.modes.get(i));
    if (!this.columns.unsorted) order.sort((a, b) => this.names.compare(a, isDir(a), b, isDir(b), protocol));
    this.order = order;
    const dirs: FileEntry[] = [];
    for (const i of order) if (isDir(i)) dirs.push(this.received(i));
    return dirs;
  }

  /** The entry an index names: by sorted position once the list is whole. */
  get(ndx: number): FileEntry | undefined {
    if (ndx === this.ndxStart - 1) return this.parent;
    const position = ndx - this.ndxStart;
    if (position < 0 || position >= this.count) return undefined;
    return this.received(this.order ? this.order[position]! : position);
  }

  /** The first entry in sorted order. */
  get first(): FileEntry | undefined {
    return this.count > 0 ? this.get(this.ndxStart) : undefined;
  }

  get ndxEnd(): number {
    return this.ndxStart + this.count;
  }

  /** The i-th entry's mode and size in the order received, without making an entry of it. */
  mode(i: number): number {
    return this.modes.get(i);
  }

  size(i: number): number {
    return this.sizes.get(i);
  }
}

export class FileLists {
  private lists: FileList[] = [];
  private nextStart: number;
  /** Every directory received, in the order rsync numbers them for incremental lists. */
  private readonly dirs: FileEntry[] = [];

  constructor(
    private readonly incRecurse: boolean,
    private readonly columns: ListColumns,
  ) {
    this.nextStart = incRecurse ? 1 : 0;
  }

  /** Starts the next list; dirNdx names the directory it fills in (incremental recursion). */
  begin(dirNdx?: number): FileList {
    const parent = dirNdx === undefined ? undefined : this.dirs[dirNdx];
    if (dirNdx !== undefined && parent === undefined) throw new RangeError(`directory index ${dirNdx} out of range (${this.dirs.length})`);
    const list = new FileList(this.nextStart, parent, this.columns);
    this.lists.push(list);
    return list;
  }

  /** Sorts a list received whole and takes note of its directories. */
  finish(list: FileList, protocol: number): void {
    const dirs = list.finish(protocol);
    this.nextStart = list.ndxEnd + 1;
    if (!this.incRecurse) return;
    // The first list stands for the transfer root when it starts with ".".
    if (this.dirs.length === 0 && list.first && baseName(list.first.name) === '.') list.parent = dirs[0];
    this.dirs.push(...dirs);
  }

  get live(): number {
    return this.lists.length;
  }

  dropOldest(): void {
    this.lists.shift();
  }

  get(ndx: number): FileEntry | undefined {
    for (let i = this.lists.length - 1; i >= 0; i--) {
      const list = this.lists[i]!;
      if (ndx >= list.ndxStart - 1) return list.get(ndx);
    }
    return undefined;
  }
}

function baseName(name: Buffer): string {
  return name.subarray(name.lastIndexOf(0x2f) + 1).toString('latin1');
}
