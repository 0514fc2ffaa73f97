// --log-json FILE: relaysync's own log of a run, JSON lines written with
// pino, each written before relaysync goes on (so a failure loses none):
// how each host was reached and logged in to, the server command lines,
// what the handshake settled, each file finished, warnings, errors and the
// summary. At level trace, also every multiplexed frame read from or
// written to a server: its side, direction, message tag and length, never
// its contents.
import { pino, type Logger } from 'pino';
import type { Settlement } from '../broker/handshake.js';
import type { FrameTrace } from '../broker/relay.js';
import type { RelayOutcome } from '../broker/relay.js';
import type { RunEvents } from '../broker/run-relay.js';
import type { RunStats } from '../broker/run-stats.js';
import { renderRemoteCommand } from '../plan/remote-quote.js';
import { CF, MSG } from '../protocol/constants.js';
import { commandArguments, type ServerCommand, type Side } from '../transport/server-process.js';
import type { StepLog } from '../transport/steps.js';
import { exitCodeMeaning } from './exit-codes.js';
import type { FileReport } from './file-reports.js';
import { jsonName } from './json-name.js';
import type { Notice } from './notices.js';
import type { LogLevel } from './output-mode.js';

const MSG_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(MSG).map(([name, tag]) => [tag, `MSG_${name}`]));

/** The compat flags' names, as rsync's compat.c names them (CF_...). */
function compatNames(flags: number): string[] {
  return Object.entries(CF)
    .filter(([, bit]) => flags & bit)
    .map(([name]) => name);
}

export class RunLog implements Partial<RunEvents> {
  private labels: Readonly<Record<Side, string>> = { source: '', dest: '' };

  private constructor(private readonly log: Logger) {}

  /** Opens (appends to) the log file; throws if it cannot be written. */
  static open(file: string, level: LogLevel): RunLog {
    const destination = pino.destination({ dest: file, sync: true, append: true });
    return new RunLog(
      pino(
        {
          level,
          timestamp: pino.stdTimeFunctions.isoTime,
          formatters: { level: (label) => ({ level: label }) },
        },
        destination,
      ),
    );
  }

  /** The steps of reaching each host. */
  readonly step: StepLog = (host, step, details) => this.log.info({ host, ...details }, step);

  /** Every frame, when the level is trace; undefined otherwise, so the relay does not even ask. */
  get frames(): FrameTrace | undefined {
    if (!this.log.isLevelEnabled('trace')) return undefined;
    return (side, direction, tag, length) => this.log.trace({ side, direction, type: MSG_NAMES[tag] ?? `MSG_${tag}`, tag, length }, 'frame');
  }

  started(labels: Readonly<Record<Side, string>>): void {
    this.labels = labels;
  }

  serverStarting(side: Side, command: ServerCommand): void {
    this.log.info(
      { side, host: this.labels[side], program: command.program, args: commandArguments(command), shellCommand: renderRemoteCommand(command), secludedArgs: command.secludedArgs ?? null },
      'server command',
    );
  }

  settled(s: Settlement): void {
    this.log.info(
      {
        protocol: s.protocol,
        versions: s.versions,
        compatFlags: compatNames(s.compatFlags),
        compat: { source: compatNames(s.compat.source), dest: compatNames(s.compat.dest) },
        checksum: s.checksum,
        fileChecksum: s.fileChecksum,
        compression: s.compression ?? null,
        seeds: s.seeds,
      },
      'handshake',
    );
  }

  file({ name, ...report }: FileReport): void {
    this.log.info({ ...jsonName(name), ...report }, 'file');
  }

  notice(n: Notice): void {
    const fields = { side: n.side ?? null, host: n.side ? this.labels[n.side] : (n.host ?? null) };
    if (n.kind === 'warning') this.log.warn(fields, n.text);
    else this.log.error(fields, n.text);
  }

  /** The end: the exit code and, when the relay ran, its totals. */
  summary(exitCode: number, stats: RunStats | undefined, outcome: RelayOutcome | undefined): void {
    const totals = stats && {
      files: stats.files.total,
      transferredFiles: stats.transferredFiles,
      totalSize: stats.totalSize,
      literalData: stats.literalData,
      matchedData: stats.matchedData,
      deletedFiles: stats.deletedFiles.total,
    };
    this.log.info({ exitCode, exitMeaning: exitCode === 0 ? 'success' : exitCodeMeaning(exitCode), ...totals, traffic: outcome?.traffic ?? null }, 'summary');
  }
}
