// --progress lines as rsync's sender prints them (progress.c): while a file
// is sent, "\r" and the bytes so far, the percentage, the rate over the
// last five seconds and the time left, at most once a second (the first
// update of a file at once); at its end the same line with the file's
// totals, the rate and time over the whole file, and "(xfr#N,
// to-chk=M/T)". With --info=progress2 the line counts the whole transfer
// instead and is overwritten rather than ended.
import { fixed, humanNum, type HumanLevel } from './numbers.js';
import type { MessageSink } from './message-sink.js';

/** How many past updates the rate is averaged over (one a second). */
const HISTORY = 5;

interface Mark {
  readonly time: number;
  readonly ofs: number;
}

/** Where the run is, for the end of a file's line and for --info=progress2. */
export interface RunPosition {
  /** Transfers so far, this one included (rsync's xferred_files). */
  readonly transferred: number;
  /** Entries in the lists sent so far, and this one's place among them: to-chk counts what comes after it. */
  readonly files: number;
  readonly fileIndex: number;
  /** The sender has sent its last file list ("to-chk"; "ir-chk" while lists still come). */
  readonly listsComplete: boolean;
  /** Sizes of the files transferred so far, and of every file listed so far (progress2's scale). */
  readonly transferredSize: number;
  readonly totalSize: number;
}

export class Progress {
  /** When this file (or, with progress2, the run) began to show progress; undefined until its first update. */
  private start: Mark | undefined;
  private readonly history: Mark[] = [];
  private newest = 0;
  private oldest = 0;
  /** progress2 pads a line shorter than the one before it, to cover that one. */
  private lastLength = 0;

  constructor(
    private readonly sink: MessageSink,
    /** rsync's PROGRESS level: 1 per file, 2 for the whole transfer. */
    private readonly level: number,
    private readonly human: HumanLevel,
    private readonly now: () => number = Date.now,
  ) {}

  /** show_progress: ofs bytes of a file of `size` are sent. */
  update(ofs: number, size: number, at: RunPosition): void {
    const now = this.now();
    if (this.level >= 2) {
      ofs = at.transferredSize - size + ofs;
      size = at.totalSize;
    }
    if (!this.start) {
      // The file began when the last data was sent, if that was recent.
      const last = this.history[this.newest];
      this.start = last && now - last.time <= 1500 ? { time: last.time, ofs: 0 } : { time: now, ofs };
      this.history.length = 0;
      for (let i = 0; i < HISTORY; i++) this.history.push(this.start);
    } else {
      if (now - this.history[this.newest]!.time < 1000) return;
      this.newest = this.oldest;
      this.oldest = (this.oldest + 1) % HISTORY;
      this.history[this.newest] = { time: now, ofs };
    }
    this.print(ofs, size, now, undefined);
  }

  /** end_progress: a file is done (size 0 at the end of a list or phase, where only progress2 prints). */
  end(size: number, at: RunPosition): void {
    const now = this.now();
    if (this.level >= 2) {
      this.print(at.transferredSize, at.totalSize, now, at);
    } else {
      this.print(size, size, now, at);
      this.start = undefined;
    }
  }

  private print(ofs: number, size: number, now: number, last: RunPosition | undefined): void {
    let eol: string;
    let rate: number;
    let remain: number;
    let open = last === undefined;
    if (last) {
      eol = ` (xfr#${last.transferred}, ${last.listsComplete ? 'to' : 'ir'}-chk=${last.files - last.fileIndex - 1}/${last.files})\n`;
      if (this.level >= 2) {
        eol = eol.slice(0, -1);
        const length = eol.length;
        eol = eol.padEnd(this.lastLength);
        this.lastLength = length;
        open = true;
      }
      const diff = (this.start && now - this.start.time) || 1;
      rate = ((ofs - (this.start?.ofs ?? 0)) * 1000) / diff / 1024;
      remain = diff / 1000;
    } else {
      eol = '  ';
      const oldest = this.history[this.oldest]!;
      const diff = now - oldest.time || 1;
      rate = ((ofs - oldest.ofs) * 1000) / diff / 1024;
      remain = rate ? (size - ofs) / rate / 1000 : 0;
    }
    let units = 'kB/s';
    if (rate > 1024 * 1024) {
      rate /= 1024 * 1024;
      units = 'GB/s';
    } else if (rate > 1024) {
      rate /= 1024;
      units = 'MB/s';
    }
    const left =
      remain < 0 || remain > 9999 * 3600
        ? '  ??:??:??'
        : `${String(Math.floor(remain / 3600)).padStart(4)}:${two(Math.floor(remain / 60) % 60)}:${two(Math.floor(remain) % 60)}`;
    const pct = ofs === size ? 100 : Math.trunc((100 * ofs) / size);
    this.sink.continueLine();
    this.sink.write('client', `\r${humanNum(ofs, this.human).padStart(15)} ${String(pct).padStart(3)}% ${fixed(rate, 2).padStart(7)}${units} ${left}${eol}`);
    if (open) this.sink.leaveOpen();
  }
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
