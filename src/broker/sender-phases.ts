// The sender's end-of-phase bookkeeping (send_files in rsync's sender.c).
// The generator sends NDX_DONE when it finishes a file list (incremental
// recursion) and at the end of each phase; the sender answers each one, and
// the answer to the last is followed by its statistics. Both the broker's
// reading of the source's stream and its stand-in for a sender follow it.

/** The file lists a sender still holds; the oldest goes with each NDX_DONE. */
export interface HeldLists {
  readonly live: number;
  dropOldest(): void;
}

export class SenderPhases {
  private phase = 0;
  private readonly maxPhase: number;

  constructor(
    protocol: number,
    private readonly incRecurse: boolean,
  ) {
    this.maxPhase = protocol >= 29 ? 2 : 1;
  }

  /** Follows one NDX_DONE; true when it is the last, after which the sender reports. */
  next(lists: HeldLists): boolean {
    if (this.incRecurse && lists.live > 0) {
      lists.dropOldest();
      if (lists.live > 0) return false;
    }
    return ++this.phase > this.maxPhase;
  }
}
