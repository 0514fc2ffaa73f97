// What happened to each entry, from the broker's events, for the JSON
// events and the log: a transfer once its data has been sent (with rsync's
// %b and the literal and matched bytes), an entry the destination created,
// changed or reported unchanged (-ii), one it deleted; each with what
// rsync's --itemize-changes would show.
import type { Settlement } from '../broker/handshake.js';
import type { RunEvents } from '../broker/run-relay.js';
import { isCompressed, literalData } from '../broker/run-stats.js';
import type { SentFile } from '../broker/sender-stream.js';
import { CF, ITEM, SIGNIFICANT_ITEM_FLAGS } from '../protocol/constants.js';
import type { FileEntry } from '../protocol/flist-decoder.js';
import { itemize, type FormatContext } from './out-format.js';

export type FileAction = 'transfer' | 'create' | 'change' | 'unchanged' | 'delete';

export interface FileReport {
  readonly name: Buffer;
  readonly action: FileAction;
  /** rsync's %i; none for a deletion. */
  readonly itemize?: string;
  /** For a deletion. */
  readonly directory?: boolean;
  readonly size?: number;
  /** For a transfer: what the source sent for it (%b), and its literal and matched bytes. */
  readonly bytes?: number;
  readonly literal?: number;
  readonly matched?: number;
}

export class FileReports implements Partial<RunEvents> {
  private context: Pick<FormatContext, 'operation' | 'preserveMtimes' | 'receiverSymlinkTimes'> | undefined;
  private compressed = false;
  /** The transfer being sent, and its item flags. */
  private sending: { ndx: number; iflags: number } | undefined;

  constructor(
    private readonly run: { readonly dryRun: boolean; readonly preserveMtimes: boolean },
    private readonly report: (report: FileReport) => void,
  ) {}

  settled(s: Settlement): void {
    this.compressed = isCompressed(s);
    this.context = { operation: 'send', preserveMtimes: this.run.preserveMtimes, receiverSymlinkTimes: s.protocol >= 30 && (s.compat.dest & CF.SYMLINK_TIMES) !== 0 };
  }

  item(ndx: number, iflags: number, entry: FileEntry | undefined): void {
    if (!entry || !this.context) return;
    if (iflags & ITEM.TRANSFER && !this.run.dryRun) {
      this.sending = { ndx, iflags };
      return;
    }
    const action = iflags & ITEM.TRANSFER ? 'transfer' : iflags & ITEM.IS_NEW ? 'create' : iflags & SIGNIFICANT_ITEM_FLAGS ? 'change' : 'unchanged';
    this.report({ name: entry.name, action, itemize: itemize({ entry, iflags }, this.context), size: entry.size });
  }

  transferred(ndx: number, entry: FileEntry | undefined, literalOnWire: number, matched: number, sent: SentFile): void {
    if (!entry || !this.context) return;
    const iflags = this.sending?.ndx === ndx ? this.sending.iflags : ITEM.TRANSFER;
    this.sending = undefined;
    this.report({
      name: entry.name,
      action: 'transfer',
      itemize: itemize({ entry, iflags }, this.context),
      size: entry.size,
      bytes: sent.written,
      literal: literalData(this.compressed, entry, literalOnWire, matched),
      matched,
    });
  }

  deleted(name: Buffer, isDirectory: boolean): void {
    this.report({ name, action: 'delete', directory: isDirectory });
  }
}
