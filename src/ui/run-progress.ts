// Where a run stands, from the broker's events: what was settled, how many
// files are listed and how many the destination has checked, the bytes to
// send and sent, the delta's literal and matched bytes, the files in
// flight, the warnings and errors so far. The live view draws it and the
// JSON events report it. Each event costs O(1) (a file list O(its length)
// once); the clock is given, so the model is a pure function of events
// and times.
import type { FileList } from '../broker/file-lists.js';
import type { Settlement } from '../broker/handshake.js';
import type { RunEvents } from '../broker/run-relay.js';
import { isCompressed, literalData } from '../broker/run-stats.js';
import type { DeleteStats } from '../broker/sender-stream.js';
import { CF, ITEM } from '../protocol/constants.js';
import type { FileEntry } from '../protocol/flist-decoder.js';
import { displayName } from './display-name.js';
import type { Notice } from './notices.js';

/** How long the transfer rate is averaged over. */
const RATE_WINDOW_MS = 5000;
/** How many of the latest warnings and errors are kept to show. */
const KEPT_NOTICES = 3;

export type RunPhase = 'starting' | 'listing' | 'transferring' | 'finishing' | 'done' | 'failed' | 'interrupted';

export interface InFlight {
  readonly name: string;
  readonly size: number;
  /** Bytes the sender has sent of it so far, literal and matched (literal as on the wire). */
  readonly done: number;
}

export interface ProgressSnapshot {
  readonly phase: RunPhase;
  readonly protocol: number | undefined;
  readonly checksum: string | undefined;
  readonly compression: string | undefined;
  /** The source sends its file list in pieces while the transfer runs. */
  readonly incremental: boolean;
  readonly files: {
    /** Entries in the lists received so far. */
    readonly listed: number;
    /** The source has sent its last list: `listed` is the total. */
    readonly listComplete: boolean;
    /** Entries the destination has gone past. */
    readonly checked: number;
    /** Files whose data has been sent (or, in a dry run, would be). */
    readonly sent: number;
    readonly deleted: number;
  };
  readonly bytes: {
    /** Bytes of the files sent and of the files in flight so far. */
    readonly done: number;
    /** Sizes of the files the destination asked for so far. */
    readonly toSend: number;
    /** Nothing more will be asked for: `toSend` is the total. */
    readonly toSendFinal: boolean;
    /** Bytes per second over the last few seconds; undefined until two samples exist. */
    readonly rate: number | undefined;
    /** Seconds until `toSend` is done at that rate. */
    readonly eta: number | undefined;
  };
  /** The delta so far: literal bytes sent, and bytes the destination already had (rsync's matched data). */
  readonly literal: number;
  readonly matched: number;
  readonly inFlight: readonly InFlight[];
  readonly inFlightCount: number;
  readonly warnings: number;
  readonly errors: number;
  /** The latest warnings and errors, oldest first. */
  readonly notices: readonly Notice[];
  readonly elapsedSeconds: number;
  readonly exitCode: number | undefined;
}

interface Flight {
  /** Made readable only when shown. */
  readonly name: Buffer;
  readonly size: number;
  done: number;
}

interface ListSpan {
  readonly start: number;
  readonly count: number;
  /** Entries in the lists before it. */
  readonly before: number;
}

export class RunProgress implements Partial<RunEvents> {
  private phase: RunPhase = 'starting';
  private settlement: Settlement | undefined;
  private compressed = false;
  private readonly lists: ListSpan[] = [];
  /** The list the destination's latest request fell in. */
  private cursor = 0;
  /** Lists the destination has said it is done with (NDX_DONE). */
  private listsDone = 0;
  private listedCount = 0;
  private listComplete = false;
  private checked = 0;
  private sent = 0;
  private deletedCount = 0;
  private deleteStatsSeen = false;
  private toSend = 0;
  private sentBytes = 0;
  private literal = 0;
  private matched = 0;
  /** Requests for data not answered yet, in the order made (the order the source answers them). */
  private readonly flights = new Map<number, Flight>();
  private warnings = 0;
  private errors = 0;
  private readonly notices: Notice[] = [];
  private readonly samples: { readonly time: number; readonly bytes: number }[] = [];
  private exitCode: number | undefined;
  private endedAt: number | undefined;

  constructor(
    /** -n: the source sends no data; a requested file counts as sent when the source answers. */
    private readonly dryRun: boolean,
    private readonly startedAt: number,
  ) {}

  settled(s: Settlement): void {
    this.settlement = s;
    this.compressed = isCompressed(s);
    this.phase = 'listing';
  }

  fileList(list: FileList): void {
    this.lists.push({ start: list.ndxStart, count: list.count, before: this.listedCount });
    this.listedCount += list.count;
    if (this.phase === 'listing') this.phase = 'transferring';
  }

  listsComplete(): void {
    this.listComplete = true;
  }

  requested(ndx: number, iflags: number, entry: FileEntry | undefined): void {
    if (!entry) {
      // NDX_DONE: the destination is done with its oldest list (later ones end phases).
      const list = this.lists[this.listsDone];
      if (list) {
        this.listsDone++;
        this.checked = Math.max(this.checked, list.before + list.count);
      }
      return;
    }
    while (this.cursor + 1 < this.lists.length && ndx >= this.lists[this.cursor + 1]!.start) this.cursor++;
    const list = this.lists[this.cursor];
    if (list && ndx >= list.start) this.checked = Math.max(this.checked, list.before + ndx - list.start + 1);
    if (iflags & ITEM.TRANSFER) {
      if (!this.flights.has(ndx)) this.toSend += entry.size;
      this.flights.set(ndx, { name: entry.name, size: entry.size, done: 0 });
    }
  }

  item(ndx: number, iflags: number): void {
    if (!(iflags & ITEM.TRANSFER) || !this.flights.has(ndx)) return;
    // The source answers in the order asked: files asked for before this one that it passed over (it could not open them) are not in flight.
    for (const [pending] of this.flights) {
      if (pending === ndx) break;
      this.flights.delete(pending);
    }
    if (this.dryRun) {
      this.sentBytes += this.flights.get(ndx)!.size;
      this.flights.delete(ndx);
      this.sent++;
    }
  }

  progress(ndx: number, literalBytes: number, matchedBytes: number): void {
    const flight = this.flights.get(ndx);
    if (flight) flight.done = Math.min(literalBytes + matchedBytes, flight.size);
  }

  transferred(ndx: number, entry: FileEntry | undefined, literalOnWire: number, matched: number): void {
    const flight = this.flights.get(ndx);
    this.flights.delete(ndx);
    this.sent++;
    this.sentBytes += flight?.size ?? entry?.size ?? 0;
    this.literal += literalData(this.compressed, entry, literalOnWire, matched);
    this.matched += matched;
  }

  deleted(): void {
    if (!this.deleteStatsSeen) this.deletedCount++;
  }

  deleteStats(d: DeleteStats): void {
    this.deleteStatsSeen = true;
    this.deletedCount = d.files + d.dirs + d.symlinks + d.devices + d.specials;
  }

  senderStats(): void {
    this.phase = 'finishing';
    this.flights.clear();
  }

  /** A warning or an error, from a server or relaysync. */
  notice(notice: Notice): void {
    if (notice.kind === 'warning') this.warnings++;
    else this.errors++;
    this.notices.push(notice);
    if (this.notices.length > KEPT_NOTICES) this.notices.shift();
  }

  /** The run is over: how it ended. */
  finished(exitCode: number, interrupted: boolean, now: number): void {
    this.exitCode = exitCode;
    this.endedAt = now;
    this.phase = exitCode === 0 ? 'done' : interrupted ? 'interrupted' : 'failed';
    if (exitCode === 0 && this.listComplete) this.checked = this.listedCount;
    // A file cut off counts with what was sent of it.
    this.sentBytes = this.bytesDone;
    this.flights.clear();
  }

  private get bytesDone(): number {
    let inFlight = 0;
    // Only the file being sent has progress: the source sends one at a time.
    for (const flight of this.flights.values()) {
      inFlight += flight.done;
      if (flight.done < flight.size) break;
    }
    return this.sentBytes + inFlight;
  }

  /** Records the bytes done at `now`, for the rate; call it at a steady pace (each redraw). */
  sample(now: number): void {
    this.samples.push({ time: now, bytes: this.bytesDone });
    while (this.samples.length > 2 && now - this.samples[1]!.time >= RATE_WINDOW_MS) this.samples.shift();
  }

  /** The state to show, with at most `inFlightShown` files in flight listed. */
  snapshot(now: number, inFlightShown: number): ProgressSnapshot {
    const s = this.settlement;
    const done = this.bytesDone;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const rate = first && last && last.time > first.time ? ((last.bytes - first.bytes) * 1000) / (last.time - first.time) : undefined;
    const left = Math.max(this.toSend - done, 0);
    const inFlight: InFlight[] = [];
    for (const flight of this.flights.values()) {
      if (inFlight.length >= inFlightShown) break;
      inFlight.push({ name: displayName(flight.name), size: flight.size, done: flight.done });
    }
    return {
      phase: this.phase,
      protocol: s?.protocol,
      checksum: s?.checksum,
      compression: s?.compression,
      incremental: s !== undefined && (s.compatFlags & CF.INC_RECURSE) !== 0,
      files: { listed: this.listedCount, listComplete: this.listComplete, checked: Math.min(this.checked, this.listedCount), sent: this.sent, deleted: this.deletedCount },
      bytes: {
        done,
        toSend: this.toSend,
        // Once the destination has gone through every entry, it asks for nothing more (but a file that failed its checksum).
        toSendFinal: !['starting', 'listing', 'transferring'].includes(this.phase) || (this.listComplete && this.checked >= this.listedCount),
        rate,
        eta: rate !== undefined && rate > 0 ? left / rate : left === 0 ? 0 : undefined,
      },
      literal: this.literal,
      matched: this.matched,
      inFlight,
      inFlightCount: this.flights.size,
      warnings: this.warnings,
      errors: this.errors,
      notices: [...this.notices],
      elapsedSeconds: ((this.endedAt ?? now) - this.startedAt) / 1000,
      exitCode: this.exitCode,
    };
  }
}
