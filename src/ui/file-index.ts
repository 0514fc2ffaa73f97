// The file lists as rsync's sender holds them, for the "to-chk" count of
// --progress (progress.c set_current_file_index): the current file's index
// less the number of its list, and after an NDX_DONE the end of the
// current list. With incremental recursion each NDX_DONE while lists are
// held retires the oldest (flist_free), and the current list moves on to
// the next; once the last is gone there is no current list, and rsync's
// progress2 shows no more lines at an NDX_DONE.

interface HeldList {
  readonly start: number;
  readonly count: number;
}

export class FileIndex {
  private readonly lists: HeldList[] = [];
  /** Lists retired so far: the oldest held list is lists[retired]. */
  private retired = 0;
  /** rsync's cur_flist, by position in `lists`; undefined once every list is retired. */
  private current: number | undefined = 0;
  /** rsync's current_file_index. */
  index = 0;

  constructor(private readonly incRecurse: boolean) {}

  listReceived(start: number, count: number): void {
    this.lists.push({ start, count });
  }

  /** The sender read an item: its list becomes the current one; a transfer's index is the current file. */
  itemRead(ndx: number, transfer: boolean): void {
    let number = this.lists.length - 1;
    while (number > this.retired && this.lists[number]!.start - 1 > ndx) number--;
    this.current = number;
    if (transfer) this.setIndex(ndx);
  }

  /** The sender read NDX_DONE: false when it has no list left (nothing to show). */
  doneRead(): boolean {
    if (this.current === undefined) return false;
    const list = this.lists[this.current]!;
    this.setIndex(list.start + list.count - 1);
    if (this.incRecurse && this.retired < this.lists.length) {
      if (this.current === this.retired) this.current = this.retired + 1 < this.lists.length ? this.retired + 1 : undefined;
      this.retired++;
    }
    return true;
  }

  /** The index less the list's number, which counts from the first list's start (1 with incremental recursion). */
  private setIndex(ndx: number): void {
    this.index = ndx - ((this.current ?? 0) + (this.lists[0]?.start ?? 0));
  }
}
