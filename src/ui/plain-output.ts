// rsync's own line output, as a client sender prints it for a push: the
// file-list header, the items (-v, -i, --out-format), the deletions the
// receiver reports, --progress, the servers' messages in the order a client
// would read them, --stats and the summary, and the --log-file. Which lines
// and when follows rsync's sender and log.c; ItemLog, Progress and the
// summary format them, MessageSink sends each where rsync would.
import type { Writable } from 'node:stream';
import { outputSettings, type OutputSettings } from '../cli/info-levels.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import type { Settlement } from '../broker/handshake.js';
import type { MessageKind } from '../broker/message-routing.js';
import type { RelayOutcome } from '../broker/relay.js';
import type { RunEvents } from '../broker/run-relay.js';
import type { RunStats } from '../broker/run-stats.js';
import type { FileList } from '../broker/file-lists.js';
import type { SentFile } from '../broker/sender-stream.js';
import { CF, ITEM, NDX_DONE, RERR } from '../protocol/constants.js';
import { isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import { checksumLength } from '../protocol/negotiation.js';
import type { Side } from '../transport/server-process.js';
import { displayName } from './display-name.js';
import { exitCodeMeaning } from './exit-codes.js';
import { permString, timeString } from './file-attributes.js';
import { FileIndex } from './file-index.js';
import { ItemLog } from './item-log.js';
import { LogFile, systemError } from './log-file.js';
import { MessageSink, type LogCode } from './message-sink.js';
import { humanNum } from './numbers.js';
import type { ChecksumStyle, FormatContext } from './out-format.js';
import { Progress, type RunPosition } from './progress.js';
import { RequestOrder } from './request-order.js';
import { sourcePaths } from './source-paths.js';
import { logExitLine, printSummary, type RunFigures } from './summary.js';

export interface PlainOutputOptions {
  readonly options: RsyncOptions;
  /** The SRC paths as given, on the source host: %f joins an entry's name to its argument's directory. */
  readonly sources: readonly string[];
  readonly labels: Readonly<Record<Side, string>>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stats: RunStats;
  /** When the run started (ms since the epoch), for the bytes/sec of the summary. */
  readonly startedAt: number;
  readonly pid?: number;
}

/** The server messages' kinds as rsync's client writes them (MSG_INFO is FINFO, and so on). */
const MESSAGE_CODES: Readonly<Record<MessageKind, LogCode>> = { info: 'info', error: 'error', 'error-xfer': 'error', warning: 'warning' };

/** A transfer the sender is sending now. */
interface Sending {
  readonly ndx: number;
  readonly entry: FileEntry;
  readonly iflags: number;
  /** What the client sender had counted when it read the request. */
  readonly transfers: number;
  readonly transferredSize: number;
}

export class PlainOutput implements Partial<RunEvents> {
  private readonly o: RsyncOptions;
  private readonly settings: OutputSettings;
  private readonly sink: MessageSink;
  private readonly order = new RequestOrder();
  private readonly progressLine: Progress;
  private settlement: Settlement | undefined;
  private items: ItemLog | undefined;
  private sending: Sending | undefined;
  /** The sender has sent its last file list (rsync's flist_eof). */
  private flistEof = false;
  /** "building file list ... " waits for its "done". */
  private listProgressOpen = false;
  /**
   * Before protocol 29 the sender reports no file-list times, and rsync's
   * client prints its own: how long the first list took to arrive stands in.
   */
  private listStartedAt = 0;
  private firstListTime = 0;
  /** The sender's lists as rsync's progress counts them (set when the handshake settles incremental recursion). */
  private fileIndex = new FileIndex(false);

  constructor(private readonly p: PlainOutputOptions) {
    this.o = p.options;
    this.settings = outputSettings(p.options);
    this.sink = new MessageSink({ stdout: p.stdout, stderr: p.stderr }, this.o.quiet > 0, this.openLog());
    this.progressLine = new Progress(this.sink, this.settings.info.progress, this.o.humanReadable);
  }

  /** rsync opens its log before anything else; if it cannot, it says so and goes on without. */
  private openLog(): LogFile | undefined {
    const name = this.o.logfileName;
    if (name === undefined) return undefined;
    try {
      return LogFile.open(name, this.p.pid ?? process.pid);
    } catch (err) {
      this.p.stderr.write(`relaysync: failed to open log-file ${name}: ${systemError(err as NodeJS.ErrnoException)}\n`);
      if (this.o.quiet === 0) this.p.stdout.write('Ignoring "log file" setting.\n');
      return undefined;
    }
  }

  private formatContext(s: Settlement): FormatContext {
    const o = this.o;
    return {
      operation: 'send',
      preserveMtimes: o.preserveMtimes,
      receiverSymlinkTimes: s.protocol >= 30 && (s.compat.dest & CF.SYMLINK_TIMES) !== 0,
      preserveUid: o.preserveUid,
      preserveGid: o.preserveGid,
      checksum: checksumStyle(s, o.alwaysChecksum),
      sourcePath: sourcePaths(this.p.sources, o.relativePaths),
      pid: this.p.pid ?? process.pid,
      now: () => Date.now() / 1000,
    };
  }

  settled(s: Settlement): void {
    this.settlement = s;
    this.items = new ItemLog(this.settings, this.sink, this.formatContext(s), this.o.dryRun);
    this.fileIndex = new FileIndex((s.compatFlags & CF.INC_RECURSE) !== 0);
    if (s.seeds.dest !== undefined && s.seeds.source !== s.seeds.dest) {
      this.sink.write(
        'warning',
        'relaysync: warning: the two servers use different checksum seeds (one ignored the seed it was given: a forced command with a fixed command line?); ' +
          'the transfer stays correct, but changed files are sent whole instead of by delta\n',
      );
    }
    // send_file_list's first words, before the list.
    this.listStartedAt = Date.now();
    this.sink.write('log', 'building file list\n');
    if (this.settings.info.flist < 1) return;
    if (s.compatFlags & CF.INC_RECURSE) {
      this.sink.write('client', 'sending incremental file list\n');
    } else if (this.o.xferDirs > 0 && this.o.quiet === 0) {
      this.sink.write('client', 'building file list ... ');
      this.sink.leaveOpen();
      this.listProgressOpen = true;
    }
  }

  /** A line a server printed on its stderr: it reaches the terminal directly, as the remote shell's stderr does for rsync. */
  serverStderr(side: Side, line: string): void {
    this.p.stderr.write(`[${this.p.labels[side]}] ${line}\n`);
  }

  serverMessage(side: Side, level: MessageKind, text: Buffer): void {
    const show = (): void => this.sink.write(MESSAGE_CODES[level], text, level === 'info' ? '' : `[${this.p.labels[side]}] `);
    if (side === 'dest') this.order.fromDestination(show);
    else show();
  }

  fileList(list: FileList): void {
    // rsync counts at least a millisecond.
    if (this.firstListTime === 0) this.firstListTime = Math.max(Date.now() - this.listStartedAt, 1);
    this.fileIndex.listReceived(list.ndxStart, list.count);
    if (!this.listProgressOpen) return;
    this.listProgressOpen = false;
    // With --progress, the count rsync shows before each hundredth entry (the first below the header), then the total.
    if (this.settings.info.flist >= 2) {
      for (let n = 0; n < list.count; n += 100) {
        if (n > 0) this.sink.continueLine();
        this.sink.write('client', ` ${n} files...\r`);
        this.sink.leaveOpen();
      }
      this.sink.continueLine();
      this.sink.write('info', `${list.count} file${list.count === 1 ? ' ' : 's '}to consider\n`);
    } else {
      this.sink.continueLine();
      this.sink.write('info', 'done\n');
    }
  }

  listsComplete(): void {
    this.flistEof = true;
  }

  requested(ndx: number, iflags: number, entry: FileEntry | undefined): void {
    this.order.requested(ndx, iflags, entry?.size ?? 0);
  }

  item(ndx: number, iflags: number, entry: FileEntry | undefined, xname: Buffer | undefined): void {
    const items = this.items;
    if (!entry || !items) return;
    this.order.answered(ndx, (counted) => {
      const transfer = (iflags & ITEM.TRANSFER) !== 0;
      this.fileIndex.itemRead(ndx, transfer);
      if (!transfer) {
        items.untransferred(entry, iflags, xname);
        return;
      }
      const s = this.p.stats;
      this.sending = { ndx, entry, iflags, transfers: counted?.transfers ?? s.transferredFiles, transferredSize: counted?.transferredSize ?? s.transferredSize };
      items.transferStarting(entry, iflags);
    });
  }

  private position(): RunPosition {
    const s = this.p.stats;
    return {
      transferred: this.sending?.transfers ?? s.transferredFiles,
      files: s.files.total,
      fileIndex: this.fileIndex.index,
      listsComplete: this.flistEof,
      transferredSize: this.sending?.transferredSize ?? s.transferredSize,
      totalSize: s.listedSize,
    };
  }

  progress(ndx: number, literalBytes: number, matchedBytes: number): void {
    const sending = this.sending;
    // rsync shows no progress while it maps nothing: an empty file.
    if (!sending || sending.ndx !== ndx || this.settings.info.progress < 1 || sending.entry.size === 0) return;
    this.progressLine.update(Math.min(literalBytes + matchedBytes, sending.entry.size), sending.entry.size, this.position());
  }

  transferred(ndx: number, entry: FileEntry | undefined, _literal: number, _matched: number, sent: SentFile): void {
    const sending = this.sending;
    if (!sending || sending.ndx !== ndx || !entry) return;
    if (this.settings.info.progress >= 1) this.progressLine.end(entry.size, this.position());
    this.items?.transferred(entry, sending.iflags, sent);
    this.sending = undefined;
  }

  ndxDone(): void {
    this.order.answered(NDX_DONE, () => {
      // The end of the current list; with progress2, a line.
      if (this.fileIndex.doneRead() && this.settings.info.progress >= 2) this.progressLine.end(0, this.position());
    });
  }

  senderStats(): void {
    this.order.finish();
  }

  deleted(name: Buffer, isDir: boolean): void {
    this.order.fromDestination(() => this.items?.deleted(name, isDir));
  }

  /** A listing line, as rsync's list_file_entry prints it. */
  listed(entry: FileEntry): void {
    const width = this.o.humanReadable ? 14 : 11;
    const target = isSymlink(entry.mode) && entry.linkTarget ? ' -> ' + displayName(entry.linkTarget) : '';
    this.sink.write('info', `${permString(entry.mode)} ${humanNum(entry.size, this.o.humanReadable).padStart(width)} ${timeString(entry.mtime)} ${displayName(entry.name)}${target}\n`);
  }

  private figures(outcome: RelayOutcome): RunFigures {
    const s = this.p.stats;
    return {
      protocol: this.settlement?.protocol ?? 0,
      files: s.files,
      created: s.created,
      deleted: s.deletedFiles,
      transferredFiles: s.transferredFiles,
      totalSize: s.totalSize,
      transferredSize: s.transferredSize,
      literalData: s.literalData,
      matchedData: s.matchedData,
      fileListSize: s.fileListSize,
      flistBuildTime: (this.settlement?.protocol ?? 0) >= 29 ? (s.sender?.flistBuildTime ?? 0) : this.firstListTime,
      flistTransferTime: s.sender?.flistTransferTime ?? 0,
      sent: outcome.traffic.dest.written,
      received: outcome.traffic.dest.read,
      seconds: Math.floor(Date.now() / 1000) - Math.floor(this.p.startedAt / 1000),
      dryRun: this.o.dryRun,
    };
  }

  /**
   * The end of the run: what is still held, the broker's own failure, the
   * summary, the log's closing line and the exit code's meaning.
   */
  finish(outcome: RelayOutcome): void {
    this.order.finish();
    if (outcome.error) this.error(outcome.error.side, outcome.error.message);
    const figures = this.figures(outcome);
    if (this.p.stats.sender) printSummary(this.sink, this.settings.info.stats, this.o.humanReadable, figures);
    if (outcome.exitCode !== RERR.OK || this.settings.info.stats < 1) logExitLine(this.sink, figures);
    if (outcome.exitCode !== RERR.OK) this.sink.write('error', `relaysync error: ${exitCodeMeaning(outcome.exitCode)} (code ${outcome.exitCode})\n`);
    this.sink.close();
  }

  /** A failure of the run itself, not of one server. */
  error(side: Side | undefined, message: string): void {
    this.sink.write('error', `relaysync: ${message}\n`, side ? `[${this.p.labels[side]}] ` : '');
  }
}

/** How %C shows checksums: before protocol 30 MD4 is not a canonical sum, and xxhash sums are little-endian numbers. */
function checksumStyle(s: Settlement, alwaysChecksum: boolean): ChecksumStyle {
  const length = checksumLength(s.checksum);
  const order = s.protocol < 30 || s.checksum === 'none' ? 'none' : s.checksum.startsWith('xx') ? 'reverse' : 'forward';
  return { alwaysChecksum, length, order };
}
