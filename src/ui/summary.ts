// The closing lines (main.c output_summary, log.c log_exit): with --stats
// the statistics block, with -v the two-line summary, and in the log file,
// when the summary was not printed or the run failed, one line with the
// bytes sent and received and the total size.
import type { TypeCounts } from '../broker/run-stats.js';
import type { MessageSink } from './message-sink.js';
import { commaNum, humanDnum, humanNum, type HumanLevel } from './numbers.js';

export interface RunFigures {
  readonly protocol: number;
  readonly files: TypeCounts;
  readonly created: TypeCounts;
  readonly deleted: TypeCounts;
  readonly transferredFiles: number;
  readonly totalSize: number;
  readonly transferredSize: number;
  readonly literalData: number;
  readonly matchedData: number;
  readonly fileListSize: number;
  /** The sender's file-list times in milliseconds (protocol 29+; 0 when not sent). */
  readonly flistBuildTime: number;
  readonly flistTransferTime: number;
  /** What the client sender wrote to the receiver and read from it. */
  readonly sent: number;
  readonly received: number;
  /** Whole seconds from the start of the run to its end, as rsync's time() difference. */
  readonly seconds: number;
  readonly dryRun: boolean;
}

/** "6 (reg: 2, dir: 3, link: 1)", as rsync's output_itemized_counts. */
function typeCounts(c: TypeCounts, h: HumanLevel): string {
  const regular = c.total - c.dirs - c.symlinks - c.devices - c.specials;
  const parts = (
    [
      ['reg', regular],
      ['dir', c.dirs],
      ['link', c.symlinks],
      ['dev', c.devices],
      ['special', c.specials],
    ] as const
  )
    .filter(([, n]) => n !== 0)
    .map(([label, n]) => `${label}: ${commaNum(n, h)}`);
  return commaNum(c.total, h) + (c.total !== 0 ? ` (${parts.join(', ')})` : '');
}

/** output_summary: stats is rsync's STATS info level. */
export function printSummary(sink: MessageSink, stats: number, h: HumanLevel, f: RunFigures): void {
  const info = (line: string): void => sink.write('info', line + '\n');
  if (stats >= 2) {
    sink.write('client', '\n');
    info(`Number of files: ${typeCounts(f.files, h)}`);
    if (f.protocol >= 29) info(`Number of created files: ${typeCounts(f.created, h)}`);
    if (f.protocol >= 31) info(`Number of deleted files: ${typeCounts(f.deleted, h)}`);
    info(`Number of regular files transferred: ${commaNum(f.transferredFiles, h)}`);
    info(`Total file size: ${humanNum(f.totalSize, h)} bytes`);
    info(`Total transferred file size: ${humanNum(f.transferredSize, h)} bytes`);
    info(`Literal data: ${humanNum(f.literalData, h)} bytes`);
    info(`Matched data: ${humanNum(f.matchedData, h)} bytes`);
    info(`File list size: ${humanNum(f.fileListSize, h)}`);
    if (f.flistBuildTime) {
      info(`File list generation time: ${humanDnum(f.flistBuildTime / 1000, 3, Math.min(h, 1))} seconds`);
      info(`File list transfer time: ${humanDnum(f.flistTransferTime / 1000, 3, Math.min(h, 1))} seconds`);
    }
    info(`Total bytes sent: ${humanNum(f.sent, h)}`);
    info(`Total bytes received: ${humanNum(f.received, h)}`);
  }
  if (stats >= 1) {
    const total = f.sent + f.received;
    sink.write('client', '\n');
    info(`sent ${humanNum(f.sent, h)} bytes  received ${humanNum(f.received, h)} bytes  ${humanDnum(total / (0.5 + f.seconds), 2, h)} bytes/sec`);
    info(`total size is ${humanNum(f.totalSize, h)}  speedup is ${humanDnum(f.totalSize / total, 2, Math.min(h, 1))}${f.dryRun ? ' (DRY RUN)' : ''}`);
  }
}

/** log_exit's line for the log file, in plain digits. */
export function logExitLine(sink: MessageSink, f: Pick<RunFigures, 'sent' | 'received' | 'totalSize'>): void {
  sink.write('log', `sent ${f.sent} bytes  received ${f.received} bytes  total size ${f.totalSize}\n`);
}
