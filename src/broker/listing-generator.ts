// With --list-only (or a bare `relaysync host:path`) there is no destination:
// the broker plays the generator a client runs for rsync's own listing. It
// asks for no file, names each entry as it goes, and closes the file lists
// and phases with NDX_DONE as rsync's generator does (generate_files and
// check_for_finished_files in generator.c), so the sender finishes normally.
import { NDX_DONE } from '../protocol/constants.js';
import { isDirectory, type FileEntry } from '../protocol/flist-decoder.js';
import { NdxEncoder } from '../protocol/ndx.js';
import type { FileList } from './file-lists.js';

export class ListingGenerator {
  private readonly done: Buffer;
  /** A list whose end has not been sent yet (incremental recursion). */
  private open = false;

  constructor(
    private readonly protocol: number,
    private readonly incRecurse: boolean,
    /** Queues bytes for the source. */
    private readonly send: (bytes: Buffer) => void,
    /** An entry the listing shows, in rsync's order. */
    private readonly listed: (entry: FileEntry) => void,
  ) {
    this.done = new NdxEncoder(protocol).encode(NDX_DONE);
  }

  /**
   * A list arrived: the one before it is finished. With incremental
   * recursion a directory is shown with the list that fills it in, not
   * where it appears in its parent's list.
   */
  listReceived(list: FileList): void {
    if (this.open) this.send(this.done);
    this.open = this.incRecurse;
    if (list.parent) this.listed(list.parent);
    for (let ndx = list.ndxStart; ndx < list.ndxEnd; ndx++) {
      const entry = list.get(ndx)!;
      if (this.incRecurse && isDirectory(entry.mode)) continue;
      this.listed(entry);
    }
  }

  /**
   * The sender has sent its last list: end the last list (or the first
   * phase), the redo phase, the protocol-29 phase, the protocol-31
   * late-deletion phase, and say goodbye.
   */
  allListsReceived(): void {
    const count = 2 + (this.protocol >= 29 ? 1 : 0) + (this.protocol >= 31 ? 1 : 0) + 1;
    for (let i = 0; i < count; i++) this.send(this.done);
    this.open = false;
  }
}
