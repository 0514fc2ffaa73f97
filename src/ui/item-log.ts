// Which lines a client sender prints and logs for the items it handles and
// the deletions the receiver reports (log.c log_item, maybe_log_item and
// log_delete; sender.c send_files): unchanged items only when they are
// worth showing, a transfer's line before its data or after it, the bare
// name before the progress of a transfer whose line comes after, and every
// line in the log file in the log's own format.
import type { OutputSettings } from '../cli/info-levels.js';
import { ITEM, S_IFDIR, S_IFREG, SIGNIFICANT_ITEM_FLAGS } from '../protocol/constants.js';
import { isDirectory, type FileEntry } from '../protocol/flist-decoder.js';
import type { SentFile } from '../broker/sender-stream.js';
import type { MessageSink } from './message-sink.js';
import { formatItem, ITEM_DELETED, type FormatContext, type LoggedItem } from './out-format.js';

export class ItemLog {
  constructor(
    private readonly settings: OutputSettings,
    private readonly sink: MessageSink,
    private readonly ctx: FormatContext,
    /** -n: transfers carry no data and are never logged to the file. */
    private readonly dryRun: boolean,
  ) {}

  /** log_item: the item's line on stdout ("client" only), in the log file ("log" only), or both ("info"). */
  private log(code: 'client' | 'info' | 'log', item: LoggedItem): void {
    const s = this.settings;
    if (code !== 'log' && s.stdoutFormat !== undefined) this.sink.write('client', formatItem(s.stdoutFormat, item, this.ctx));
    if (code !== 'client' && s.logfileFormat) this.sink.write('log', formatItem(s.logfileFormat, item, this.ctx));
  }

  /** maybe_log_item: an item the generator reported that the sender does not transfer. */
  untransferred(entry: FileEntry, iflags: number, xname: Buffer | undefined): void {
    const s = this.settings;
    const significant = (iflags & SIGNIFICANT_ITEM_FLAGS) !== 0;
    const named = xname !== undefined && xname.length > 0;
    const hasI = s.stdoutFormatHasI;
    const seeItem = hasI > 0 && (significant || named || hasI > 1 || (s.info.name >= 2 && hasI > 0));
    const localChange = (iflags & ITEM.LOCAL_CHANGE) !== 0 && significant;
    if (!(seeItem || localChange || named || (isDirectory(entry.mode) && significant))) return;
    this.log(significant || s.logfileFormatHasI ? 'info' : 'client', { entry, iflags, xname, sent: undefined });
  }

  /** A transfer the sender starts: in a dry run its only line; else the line before its data, or the bare name before its progress. */
  transferStarting(entry: FileEntry, iflags: number): void {
    const s = this.settings;
    const item = { entry, iflags, xname: undefined, sent: undefined };
    if (this.dryRun || s.logBeforeTransfer) this.log('client', item);
    else if (s.info.name >= 1 && s.info.progress === 1) this.sink.write('client', Buffer.concat([entry.name, Buffer.from('\n')]));
  }

  /** A transfer the sender finished: its line for the log, and for stdout when it waited for %b, %c or %C. */
  transferred(entry: FileEntry, iflags: number, sent: SentFile): void {
    this.log(this.settings.logBeforeTransfer ? 'log' : 'info', { entry, iflags, xname: undefined, sent });
  }

  /** log_delete: a file the receiver deleted, which it reports to the client from protocol 29 on. */
  deleted(name: Buffer, isDir: boolean): void {
    const s = this.settings;
    const entry: FileEntry = { name, mode: isDir ? S_IFDIR : S_IFREG, size: 0, mtime: 0, uid: 0, gid: 0, linkTarget: undefined, hardLinkFirst: -1 };
    const item = { entry, iflags: ITEM_DELETED, xname: undefined, sent: undefined };
    const ctx = { ...this.ctx, operation: 'del.' as const };
    if (s.info.del >= 1 || s.stdoutFormat !== undefined) {
      this.sink.write('client', formatItem(s.stdoutFormatHasOorI ? s.stdoutFormat! : 'deleting %n', item, ctx));
    }
    if (s.logfileFormat === undefined || this.dryRun) return;
    this.sink.write('log', formatItem(s.logfileFormatHasOorI ? s.logfileFormat : 'deleting %n', item, ctx));
  }
}
