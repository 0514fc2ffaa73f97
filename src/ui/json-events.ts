// --json: the run as newline-delimited JSON events on stdout, for scripts
// (docs/events.schema.json describes each): start once the handshake is
// settled, a file event for each entry the destination reports, progress
// twice a second while files move, each warning and error, and the summary
// with rsync's statistics and the exit code.
import type { Writable } from 'node:stream';
import type { Settlement } from '../broker/handshake.js';
import type { RelayOutcome } from '../broker/relay.js';
import type { RunEvents } from '../broker/run-relay.js';
import { isCompressed, type RunStats, type TypeCounts } from '../broker/run-stats.js';
import { CF } from '../protocol/constants.js';
import type { Side } from '../transport/server-process.js';
import { exitCodeMeaning } from './exit-codes.js';
import type { FileReport } from './file-reports.js';
import { jsonName } from './json-name.js';
import type { Notice } from './notices.js';
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
  readonly startedAt: number;
}

export class JsonEvents implements Partial<RunEvents> {
  private protocol = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: JsonEventsOptions) {}

  private emit(event: Record<string, unknown>): void {
    this.o.stdout.write(JSON.stringify(event) + '\n');
  }

  settled(s: Settlement): void {
    this.protocol = s.protocol;
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
    this.timer = setInterval(() => this.emitProgress(), PROGRESS_MS);
  }

  file({ name, ...report }: FileReport): void {
    this.emit({ type: 'file', ...jsonName(name), ...report });
  }

  notice(n: Notice): void {
    this.emit({ type: n.kind, side: n.side ?? null, host: n.side ? this.o.labels[n.side] : (n.host ?? null), message: n.text });
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

  /** The relay is over: the summary, with rsync's statistics. */
  finish(outcome: RelayOutcome): void {
    const s = this.o.stats;
    const sent = this.protocol >= 29 && s.sender !== undefined;
    const f = runFigures(s, outcome, { protocol: this.protocol, flistBuildTime: s.sender?.flistBuildTime ?? 0, startedAt: this.o.startedAt, dryRun: this.o.dryRun });
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
      fileListGenerationTime: sent ? f.flistBuildTime / 1000 : null,
      fileListTransferTime: sent ? f.flistTransferTime / 1000 : null,
      totalBytesSent: f.sent,
      totalBytesReceived: f.received,
    });
  }

  /** The last event; stats is null when the run ended before the relay began. */
  summary(exitCode: number, stats: Record<string, unknown> | null): void {
    clearInterval(this.timer);
    this.emit({ type: 'summary', exitCode, exitMeaning: exitCode === 0 ? 'success' : exitCodeMeaning(exitCode), elapsed: (Date.now() - this.o.startedAt) / 1000, stats });
  }
}

/** rsync's counts by type, with the regular files it leaves to subtraction. */
function counts(c: TypeCounts): Record<string, number> {
  return { total: c.total, regular: c.total - c.dirs - c.symlinks - c.devices - c.specials, dirs: c.dirs, symlinks: c.symlinks, devices: c.devices, specials: c.specials };
}
