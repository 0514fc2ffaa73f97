// --json: the run as newline-delimited JSON events on stdout, for scripts
// (docs/events.schema.json describes each): start once the handshake is
// settled, a file event for each entry the destination reports (a
// transfer when its data has been sent), progress twice a second while
// files move, each warning and error, and the summary with rsync's
// statistics and the exit code.
import type { Writable } from 'node:stream';
import type { Settlement } from '../broker/handshake.js';
import type { MessageKind } from '../broker/message-routing.js';
import { RelayError } from '../broker/relay-error.js';
import type { RelayOutcome } from '../broker/relay.js';
import type { RunEvents } from '../broker/run-relay.js';
import { isCompressed, literalData, type RunStats, type TypeCounts } from '../broker/run-stats.js';
import type { SentFile } from '../broker/sender-stream.js';
import { CF, ITEM, SIGNIFICANT_ITEM_FLAGS } from '../protocol/constants.js';
import type { FileEntry } from '../protocol/flist-decoder.js';
import type { Side } from '../transport/server-process.js';
import { TransportError } from '../transport/transport-error.js';
import { exitCodeMeaning } from './exit-codes.js';
import { jsonName } from './json-name.js';
import { messageNotice, seedNotice, stderrNotice, type Notice } from './notices.js';
import { itemize, type FormatContext } from './out-format.js';
import type { RunProgress } from './run-progress.js';
import { runFigures } from './summary.js';

/** How often a progress event is written while the run goes on. */
const PROGRESS_MS = 500;

export interface JsonEventsOptions {
  readonly stdout: Writable;
  readonly stats: RunStats;
  readonly progress: RunProgress;
  readonly version: string;
  /** SRC... and DEST as given, and how messages name each side. */
  readonly operands: { readonly source: readonly string[]; readonly dest: string };
  readonly labels: Readonly<Record<Side, string>>;
  readonly dryRun: boolean;
  readonly preserveMtimes: boolean;
  readonly startedAt: number;
}

type FileAction = 'transfer' | 'create' | 'change' | 'unchanged' | 'delete';

export class JsonEvents implements Partial<RunEvents> {
  private settlement: Settlement | undefined;
  private itemContext: Pick<FormatContext, 'operation' | 'preserveMtimes' | 'receiverSymlinkTimes'> | undefined;
  /** The transfer being sent: its item flags. */
  private sending: { ndx: number; iflags: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: JsonEventsOptions) {}

  private emit(event: Record<string, unknown>): void {
    this.o.stdout.write(JSON.stringify(event) + '\n');
  }

  settled(s: Settlement): void {
    this.settlement = s;
    this.itemContext = { operation: 'send', preserveMtimes: this.o.preserveMtimes, receiverSymlinkTimes: s.protocol >= 30 && (s.compat.dest & CF.SYMLINK_TIMES) !== 0 };
    const { source, dest } = this.o.operands;
    this.emit({
      type: 'start',
      time: new Date(this.o.startedAt).toISOString(),
      relaysync: this.o.version,
      source: { operands: source, host: this.o.labels.source, protocol: s.versions.source },
      dest: { operand: dest, host: this.o.labels.dest, protocol: s.versions.dest },
      protocol: s.protocol,
      checksum: s.checksum,
      compression: isCompressed(s) ? s.compression : null,
      incremental: (s.compatFlags & CF.INC_RECURSE) !== 0,
      dryRun: this.o.dryRun,
    });
    const seeds = seedNotice(s);
    if (seeds) this.notice(seeds);
    this.timer = setInterval(() => this.emitProgress(), PROGRESS_MS);
  }

  item(ndx: number, iflags: number, entry: FileEntry | undefined): void {
    if (!entry) return;
    if (iflags & ITEM.TRANSFER && !this.o.dryRun) {
      this.sending = { ndx, iflags };
      return;
    }
    const action: FileAction = iflags & ITEM.TRANSFER ? 'transfer' : iflags & ITEM.IS_NEW ? 'create' : iflags & SIGNIFICANT_ITEM_FLAGS ? 'change' : 'unchanged';
    this.emit({ type: 'file', ...jsonName(entry.name), action, itemize: this.itemize(entry, iflags), size: entry.size });
  }

  transferred(ndx: number, entry: FileEntry | undefined, literalOnWire: number, matched: number, sent: SentFile): void {
    if (!entry || !this.settlement) return;
    const iflags = this.sending?.ndx === ndx ? this.sending.iflags : ITEM.TRANSFER;
    this.sending = undefined;
    this.emit({
      type: 'file',
      ...jsonName(entry.name),
      action: 'transfer',
      itemize: this.itemize(entry, iflags),
      size: entry.size,
      bytes: sent.written,
      literal: literalData(isCompressed(this.settlement), entry, literalOnWire, matched),
      matched,
    });
  }

  deleted(name: Buffer, isDirectory: boolean): void {
    this.emit({ type: 'file', ...jsonName(name), action: 'delete', directory: isDirectory });
  }

  serverMessage(side: Side, level: MessageKind, text: Buffer): void {
    const notice = messageNotice(side, level, text);
    if (notice) this.notice(notice);
  }

  serverStderr(side: Side, line: string): void {
    this.notice(stderrNotice(side, line));
  }

  private notice(n: Notice): void {
    this.emit({ type: n.kind, side: n.side ?? null, host: n.side ? this.o.labels[n.side] : null, message: n.text });
  }

  private itemize(entry: FileEntry, iflags: number): string {
    return itemize({ entry, iflags }, this.itemContext!);
  }

  private emitProgress(): void {
    const now = Date.now();
    this.o.progress.sample(now);
    const s = this.o.progress.snapshot(now, 0);
    const { rate, eta, ...bytes } = s.bytes;
    this.emit({
      type: 'progress',
      elapsed: s.elapsedSeconds,
      files: s.files,
      bytes: { ...bytes, rate: rate === undefined ? null : Math.round(rate), eta: eta === undefined ? null : Math.round(eta) },
      literal: s.literal,
      matched: s.matched,
    });
  }

  /** The end of the run: the failure relaysync saw, if any, and the summary. */
  finish(outcome: RelayOutcome): void {
    clearInterval(this.timer);
    if (outcome.error) this.failure(outcome.error);
    const protocol = this.settlement?.protocol ?? 0;
    const s = this.o.stats;
    const f = runFigures(s, outcome, { protocol, flistBuildTime: s.sender?.flistBuildTime ?? 0, startedAt: this.o.startedAt, dryRun: this.o.dryRun });
    this.summary(outcome.exitCode, {
      files: counts(f.files),
      createdFiles: counts(f.created),
      deletedFiles: counts(f.deleted),
      regularFilesTransferred: f.transferredFiles,
      totalFileSize: f.totalSize,
      totalTransferredFileSize: f.transferredSize,
      literalData: f.literalData,
      matchedData: f.matchedData,
      fileListSize: f.fileListSize,
      fileListGenerationTime: protocol >= 29 && s.sender ? f.flistBuildTime / 1000 : null,
      fileListTransferTime: protocol >= 29 && s.sender ? f.flistTransferTime / 1000 : null,
      totalBytesSent: f.sent,
      totalBytesReceived: f.received,
    });
  }

  /** The run failed before it could relay anything. */
  failed(error: RelayError | TransportError, exitCode: number): void {
    clearInterval(this.timer);
    this.failure(error);
    this.summary(exitCode, null);
  }

  private failure(error: RelayError | TransportError): void {
    if (error instanceof RelayError) this.notice({ kind: 'error', side: error.side, text: error.message });
    else this.emit({ type: 'error', side: null, host: error.host, message: error.message });
  }

  private summary(exitCode: number, stats: Record<string, unknown> | null): void {
    this.emit({ type: 'summary', exitCode, exitMeaning: exitCode === 0 ? 'success' : exitCodeMeaning(exitCode), elapsed: (Date.now() - this.o.startedAt) / 1000, stats });
  }
}

/** rsync's counts by type, with the regular files it leaves to subtraction. */
function counts(c: TypeCounts): Record<string, number> {
  return { total: c.total, regular: c.total - c.dirs - c.symlinks - c.devices - c.specials, dirs: c.dirs, symlinks: c.symlinks, devices: c.devices, specials: c.specials };
}
