// The broker's copy of the file lists it has relayed, so that an index on
// the wire can be named. Like rsync's sender it keeps them as a chain: with
// incremental recursion each list takes the indexes after the previous one
// plus one, the index just before a list stands for the directory the list
// fills in, and the oldest list is dropped when the generator is done with it.
import type { FileEntry } from '../protocol/flist-decoder.js';
import { isDirectory } from '../protocol/flist-decoder.js';
import { compareFileNames } from '../protocol/flist-sort.js';

export class FileList {
  readonly entries: FileEntry[] = [];
  private sorted: FileEntry[] | undefined;

  constructor(
    readonly ndxStart: number,
    /** The directory this list fills in (incremental recursion), named by index ndxStart - 1. */
    public parent: FileEntry | undefined,
  ) {}

  /** The first entry in sorted order. */
  get first(): FileEntry | undefined {
    return (this.sorted ?? this.entries)[0];
  }

  /** Sorts the list as rsync does once it has been received whole; returns its directories in order. */
  finish(protocol: number): FileEntry[] {
    this.sorted = [...this.entries].sort((a, b) =>
      compareFileNames(a.name, isDirectory(a.mode), b.name, isDirectory(b.mode), protocol),
    );
    return this.sorted.filter((e) => isDirectory(e.mode));
  }

  get(ndx: number): FileEntry | undefined {
    if (ndx === this.ndxStart - 1) return this.parent;
    return (this.sorted ?? this.entries)[ndx - this.ndxStart];
  }

  get ndxEnd(): number {
    return this.ndxStart + this.entries.length;
  }
}

export class FileLists {
  private lists: FileList[] = [];
  private nextStart: number;
  /** Every directory received, in the order rsync numbers them for incremental lists. */
  private readonly dirs: FileEntry[] = [];

  constructor(private readonly incRecurse: boolean) {
    this.nextStart = incRecurse ? 1 : 0;
  }

  /** Starts the next list; dirNdx names the directory it fills in (incremental recursion). */
  begin(dirNdx?: number): FileList {
    const parent = dirNdx === undefined ? undefined : this.dirs[dirNdx];
    if (dirNdx !== undefined && parent === undefined) throw new RangeError(`directory index ${dirNdx} out of range (${this.dirs.length})`);
    const list = new FileList(this.nextStart, parent);
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
