// rsync's client sender reads the receiver's requests and messages from one
// stream, so what the receiver's generator says (an "is uptodate", a
// deletion, a skipped file) is shown between the items it said it around.
// Through the relay the requests go to the source, and its answers (the
// items) come back later than the destination's messages. This puts the
// messages back in rsync's order: a message that came after a request is
// held until the source has answered that request. It also numbers the
// transfers as the client sender counts them, when it reads each request.
import { ITEM } from '../protocol/constants.js';

interface Request {
  readonly ndx: number;
  /** Transfers requested up to this one, and the sizes of their files. */
  readonly transfers: number;
  readonly transferredSize: number;
  /** What the destination said after this request and before the next. */
  readonly held: (() => void)[];
}

/** What the client sender had counted when it read a request. */
export interface RequestCount {
  readonly transfers: number;
  readonly transferredSize: number;
}

export class RequestOrder {
  /** Requests not answered yet, from `head` on: the generator may run far ahead of the source. */
  private pending: Request[] = [];
  private head = 0;
  private transfers = 0;
  private transferredSize = 0;
  /** The source has said all it will: nothing is held any more. */
  private over = false;

  /** The generator sent a request (or NDX_DONE). */
  requested(ndx: number, iflags: number, size: number): void {
    if (this.over) return;
    if (iflags & ITEM.TRANSFER) {
      this.transfers++;
      this.transferredSize += size;
    }
    this.pending.push({ ndx, transfers: this.transfers, transferredSize: this.transferredSize, held: [] });
  }

  /** Something the destination said: shown now, or once the requests before it are answered. */
  fromDestination(show: () => void): void {
    const last = this.pending.length > this.head ? this.pending[this.pending.length - 1] : undefined;
    if (last) last.held.push(show);
    else show();
  }

  /**
   * The source answered a request: what the destination said before it is
   * shown, then the answer (`show`, given the counts as of the request when
   * it was seen), then what the destination said after. Requests before
   * this one went unanswered (a file the sender could not open).
   */
  answered(ndx: number, show: (counted: RequestCount | undefined) => void): void {
    let at = this.head;
    while (at < this.pending.length && this.pending[at]!.ndx !== ndx) at++;
    if (at === this.pending.length) {
      show(undefined);
      return;
    }
    while (this.head < at) release(this.pending[this.head++]!);
    const request = this.pending[this.head++]!;
    show({ transfers: request.transfers, transferredSize: request.transferredSize });
    release(request);
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** The source's part is over: everything held is shown, and from now on shown at once. */
  finish(): void {
    this.over = true;
    while (this.head < this.pending.length) release(this.pending[this.head++]!);
    this.pending = [];
    this.head = 0;
  }
}

function release(r: Request): void {
  for (const show of r.held.splice(0)) show();
}
