// rsync's own line-oriented output, as a client sender prints it: the file
// names with -v, deletions, --progress lines, the summary and --stats. Log
// lines from the servers pass through; errors and warnings are tagged with
// the host that printed them.
import type { Writable } from 'node:stream';
import { infoLevels, type InfoLevels } from '../cli/info-levels.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import type { Settlement } from '../broker/handshake.js';
import type { MessageKind } from '../broker/message-routing.js';
import type { RunEvents } from '../broker/run-relay.js';
import type { RunStats, TypeCounts } from '../broker/run-stats.js';
import type { FileList } from '../broker/file-lists.js';
import { CF, ITEM, SIGNIFICANT_ITEM_FLAGS } from '../protocol/constants.js';
import { isDirectory, isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import type { Side } from '../transport/server-process.js';
import { displayName, displayText } from './display-name.js';
import { permString, timeString } from './file-attributes.js';
import { commaNum, humanDnum, humanNum } from './numbers.js';

export interface PlainOutputOptions {
  readonly options: RsyncOptions;
  readonly labels: Readonly<Record<Side, string>>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stats: RunStats;
}

/** The minimum interval between two --progress updates of one file, as rsync. */
const PROGRESS_INTERVAL_MS = 1000;

export class PlainOutput implements Partial<RunEvents> {
  private readonly o: RsyncOptions;
  private readonly info: InfoLevels;
  private readonly out: Writable;
  private readonly err: Writable;
  private settlement: Settlement | undefined;
  private progressLine: { ndx: number; size: number; startedAt: number; shownAt: number } | undefined;
  /** A --progress line is on screen without its newline yet. */
  private lineOpen = false;
  private listsSeen = 0;
  /** Where each file list starts, for rsync's "to-chk" count (index minus the list's number). */
  private readonly listStarts: number[] = [];

  constructor(private readonly p: PlainOutputOptions) {
    this.o = p.options;
    this.info = infoLevels(p.options);
    this.out = p.stdout;
    this.err = p.stderr;
  }

  private print(text: string): void {
    this.closeLine();
    this.out.write(text + '\n');
  }

  private printError(side: Side | undefined, text: string): void {
    this.closeLine();
    this.err.write((side ? `[${this.p.labels[side]}] ` : '') + text + (text.endsWith('\n') ? '' : '\n'));
  }

  private closeLine(): void {
    if (this.lineOpen) {
      this.out.write('\n');
      this.lineOpen = false;
    }
  }

  /** rsync's quiet mode drops informational output, whatever the levels say. */
  private level(of: keyof InfoLevels): number {
    return this.o.quiet > 0 ? 0 : this.info[of];
  }

  settled(s: Settlement): void {
    this.settlement = s;
    if (s.seeds.dest !== undefined && s.seeds.source !== s.seeds.dest) {
      this.printError(
        undefined,
        'relaysync: warning: the two servers use different checksum seeds (one ignored the seed it was given: a forced command with a fixed command line?); ' +
          'the transfer stays correct, but changed files are sent whole instead of by delta',
      );
    }
  }

  serverStderr(side: Side, line: string): void {
    this.printError(side, line);
  }

  serverMessage(side: Side, level: MessageKind, text: Buffer): void {
    if (level === 'info') {
      if (this.o.quiet === 0) {
        this.closeLine();
        this.out.write(displayText(text));
      }
    } else {
      this.printError(side, displayText(text));
    }
  }

  fileList(list: FileList): void {
    if (this.listsSeen++ === 0 && this.level('flist') > 0) {
      const incremental = this.settlement !== undefined && (this.settlement.compatFlags & CF.INC_RECURSE) !== 0;
      this.print(incremental ? 'sending incremental file list' : 'building file list ... done');
    }
    this.listStarts.push(list.ndxStart);
  }

  /** rsync's current_file_index: the index less the number of the list it is in. */
  private fileIndex(ndx: number): number {
    let number = this.listStarts.length - 1;
    while (number > 0 && this.listStarts[number]! - 1 > ndx) number--;
    const first = this.listStarts[0] ?? 0;
    return ndx - (number + first);
  }

  item(ndx: number, iflags: number, entry: FileEntry | undefined, xname: Buffer | undefined): void {
    if (!entry || this.level('name') === 0) return;
    const significant = (iflags & SIGNIFICANT_ITEM_FLAGS) !== 0;
    const transfer = (iflags & ITEM.TRANSFER) !== 0;
    if (transfer) {
      this.print(this.nameOf(entry, iflags, xname));
      if (this.level('progress') > 0 && !this.o.dryRun) this.progressLine = { ndx, size: entry.size, startedAt: Date.now(), shownAt: 0 };
      return;
    }
    const localChange = (iflags & ITEM.LOCAL_CHANGE) !== 0 && significant;
    if (localChange || (xname && xname.length > 0) || (isDirectory(entry.mode) && significant)) {
      this.print(this.nameOf(entry, iflags, xname));
    }
  }

  /** %n%L: the name (directories with a slash), then a symlink's target or a hard link's. */
  private nameOf(entry: FileEntry, iflags: number, xname: Buffer | undefined): string {
    let text = displayName(entry.name) + (isDirectory(entry.mode) ? '/' : '');
    if (isSymlink(entry.mode) && entry.linkTarget) text += ' -> ' + displayName(entry.linkTarget);
    else if (iflags & ITEM.XNAME_FOLLOWS && iflags & ITEM.LOCAL_CHANGE && xname && xname.length > 0) text += ' => ' + displayName(xname);
    return text;
  }

  progress(ndx: number, literalBytes: number, matchedBytes: number): void {
    const line = this.progressLine;
    if (!line || line.ndx !== ndx) return;
    const now = Date.now();
    if (now - line.shownAt < PROGRESS_INTERVAL_MS) return;
    line.shownAt = now;
    this.showProgress(Math.min(literalBytes + matchedBytes, line.size), line, now, '');
  }

  transferred(ndx: number, entry: FileEntry | undefined): void {
    const line = this.progressLine;
    if (line && line.ndx === ndx && entry) {
      const stats = this.p.stats;
      const remaining = stats.files.total - this.fileIndex(ndx) - 1;
      this.showProgress(line.size, line, Date.now(), ` (xfr#${stats.transferredFiles}, to-chk=${Math.max(remaining, 0)}/${stats.files.total})`);
      this.closeLine();
      this.progressLine = undefined;
    }
  }

  private showProgress(done: number, line: { size: number; startedAt: number }, now: number, tail: string): void {
    const seconds = Math.max(now - line.startedAt, 1) / 1000;
    let rate = done / seconds / 1024;
    let units = 'kB/s';
    if (rate > 1024 * 1024) {
      rate /= 1024 * 1024;
      units = 'GB/s';
    } else if (rate > 1024) {
      rate /= 1024;
      units = 'MB/s';
    }
    const remain = tail ? seconds : rate > 0 ? (line.size - done) / 1024 / rate : 0;
    const pct = done === line.size ? 100 : Math.floor((100 * done) / Math.max(line.size, 1));
    const time = `${String(Math.floor(remain / 3600)).padStart(4)}:${pad2(Math.floor(remain / 60) % 60)}:${pad2(Math.floor(remain) % 60)}`;
    this.out.write(`\r${humanNum(done, this.o.humanReadable).padStart(15)} ${String(pct).padStart(3)}% ${rate.toFixed(2).padStart(7)}${units} ${time}${tail || '  '}`);
    this.lineOpen = true;
  }

  /** A listing line, as rsync's list_file_entry prints it. */
  listed(entry: FileEntry): void {
    if (this.o.quiet > 0) return;
    const width = this.o.humanReadable ? 14 : 11;
    const target = isSymlink(entry.mode) && entry.linkTarget ? ' -> ' + displayName(entry.linkTarget) : '';
    this.print(`${permString(entry.mode)} ${humanNum(entry.size, this.o.humanReadable).padStart(width)} ${timeString(entry.mtime)} ${displayName(entry.name)}${target}`);
  }

  deleted(name: Buffer, dir: boolean): void {
    if (this.level('del') > 0) this.print(`deleting ${displayName(name)}${dir ? '/' : ''}`);
  }

  /** The closing lines: --stats, then with -v the totals. */
  summary(fileListBytes: number): void {
    const s = this.p.stats;
    const h = this.o.humanReadable;
    const protocol = this.settlement?.protocol ?? 0;
    const sent = s.sender?.totalWritten ?? 0;
    const received = s.sender?.totalRead ?? 0;
    if (this.level('stats') >= 2) {
      this.print('');
      this.print(`Number of files: ${typeCounts(s.files, h)}`);
      if (protocol >= 29) this.print(`Number of created files: ${typeCounts(s.created, h)}`);
      if (protocol >= 31) this.print(`Number of deleted files: ${typeCounts(s.deletedFiles, h)}`);
      this.print(`Number of regular files transferred: ${commaNum(s.transferredFiles, h)}`);
      this.print(`Total file size: ${humanNum(s.totalSize, h)} bytes`);
      this.print(`Total transferred file size: ${humanNum(s.transferredSize, h)} bytes`);
      this.print(`Literal data: ${humanNum(s.literalData, h)} bytes`);
      this.print(`Matched data: ${humanNum(s.matchedData, h)} bytes`);
      this.print(`File list size: ${humanNum(fileListBytes, h)}`);
      if (s.sender && s.sender.flistBuildTime) {
        this.print(`File list generation time: ${humanDnum(s.sender.flistBuildTime / 1000, 3, Math.min(h, 1))} seconds`);
        this.print(`File list transfer time: ${humanDnum(s.sender.flistTransferTime / 1000, 3, Math.min(h, 1))} seconds`);
      }
      this.print(`Total bytes sent: ${humanNum(sent, h)}`);
      this.print(`Total bytes received: ${humanNum(received, h)}`);
    }
    if (this.level('stats') >= 1) {
      const seconds = Math.floor((Date.now() - s.startedAt) / 1000);
      const rate = (sent + received) / (0.5 + seconds);
      const speedup = sent + received > 0 ? s.totalSize / (sent + received) : 0;
      this.print('');
      this.print(`sent ${humanNum(sent, h)} bytes  received ${humanNum(received, h)} bytes  ${humanDnum(rate, 2, h)} bytes/sec`);
      this.print(`total size is ${humanNum(s.totalSize, h)}  speedup is ${humanDnum(speedup, 2, Math.min(h, 1))}${this.o.dryRun ? ' (DRY RUN)' : ''}`);
    }
  }

  /** A failure of the run itself, not of one server. */
  error(side: Side | undefined, message: string): void {
    this.printError(side, `relaysync: ${message}`);
  }
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "6 (reg: 2, dir: 3, link: 1)", as rsync's output_itemized_counts. */
function typeCounts(c: TypeCounts, h: number): string {
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
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label}: ${commaNum(n, h)}`);
  return commaNum(c.total, h) + (c.total > 0 && parts.length ? ` (${parts.join(', ')})` : '');
}
