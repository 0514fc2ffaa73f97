// rsync's --out-format and --log-file-format (log.c log_formatted), as a
// client sender expands them: %n name, %L link target, %i itemized changes,
// %l length, %b bytes written and %c bytes read for the file, %f the path
// on the source, %M mtime, %B permissions, %U/%G owner and group, %C
// checksum, %o operation, %t time, %p pid, %m module (none), %%. Between
// the % and the letter, apostrophes ask for grouped digits or units and
// "-N"/"N" for a width. An escape rsync has no value for (%h %a %P %u, or
// an unknown letter) stays as written. The line is bytes: names go into it
// as the sender sent them, and the output filters them on the way out.
import { ITEM } from '../protocol/constants.js';
import { isDevice, isDirectory, isRegular, isSpecial, isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import { permString, timeString } from './file-attributes.js';
import { humanNum } from './numbers.js';

/** Outside the transmitted range: a deletion (log_delete), for %i. */
export const ITEM_DELETED = 1 << 17;

/** One item to log: a file the sender handled, or one the receiver deleted. */
export interface LoggedItem {
  /** A deletion's entry has only its name and its type (a directory or not), like rsync's. */
  readonly entry: FileEntry;
  /** Item flags as the generator sent them, or ITEM_DELETED. */
  readonly iflags: number;
  /** The name the generator sent with the item (a hard link's target): %L shows it as " => name". */
  readonly xname: Buffer | undefined;
  /** For a transfer: what the sender wrote and read for it, and its checksum. */
  readonly sent: { readonly written: number; readonly read: number; readonly checksum: Buffer } | undefined;
}

/** How the checksums %C shows are written (checksum.c sum_as_hex, canonical_checksum). */
export interface ChecksumStyle {
  /** -c: %C shows the file list's checksum rather than the transfer's. */
  readonly alwaysChecksum: boolean;
  /** Length in bytes of the checksum %C shows. */
  readonly length: number;
  /** Whether the bytes are shown in order, reversed (xxhash, a little-endian number), or not at all (MD4 before protocol 30). */
  readonly order: 'forward' | 'reverse' | 'none';
}

export interface FormatContext {
  /** "send" for what the sender handled, "del." for a deletion. */
  readonly operation: 'send' | 'del.';
  /** -t: %i shows t rather than T for a changed time. */
  readonly preserveMtimes: boolean;
  /** The receiver can set symlink times (the destination's compat flags say so). */
  readonly receiverSymlinkTimes: boolean;
  /** -o and -g: %U and %G show the owner and group only when they are sent. */
  readonly preserveUid: boolean;
  readonly preserveGid: boolean;
  readonly checksum: ChecksumStyle;
  /** %f: an entry's path on the source, before it is cleaned (pathjoin of its source directory and its name). */
  readonly sourcePath: (name: Buffer) => Buffer;
  readonly pid: number;
  readonly now: () => number;
}

/** %i: the 11-character summary of what changed (rsync's --itemize-changes). */
export function itemize(item: Pick<LoggedItem, 'entry' | 'iflags'>, ctx: Pick<FormatContext, 'operation' | 'preserveMtimes' | 'receiverSymlinkTimes'>): string {
  const { iflags, entry } = item;
  if (iflags & ITEM_DELETED) return '*deleting  ';
  const c: string[] = [];
  c[0] = iflags & ITEM.LOCAL_CHANGE ? (iflags & ITEM.XNAME_FOLLOWS ? 'h' : 'c') : !(iflags & ITEM.TRANSFER) ? '.' : ctx.operation === 'send' ? '<' : '>';
  if (isSymlink(entry.mode)) {
    c[1] = 'L';
    c[3] = '.';
    c[4] = !(iflags & ITEM.REPORT_TIME) ? '.' : !ctx.preserveMtimes || !ctx.receiverSymlinkTimes || iflags & ITEM.REPORT_TIMEFAIL ? 'T' : 't';
  } else {
    c[1] = isDirectory(entry.mode) ? 'd' : isSpecial(entry.mode) ? 'S' : isDevice(entry.mode) ? 'D' : 'f';
    c[3] = iflags & ITEM.REPORT_SIZE ? 's' : '.';
    c[4] = !(iflags & ITEM.REPORT_TIME) ? '.' : !ctx.preserveMtimes ? 'T' : 't';
  }
  c[2] = iflags & ITEM.REPORT_CHANGE ? 'c' : '.';
  c[5] = iflags & ITEM.REPORT_PERMS ? 'p' : '.';
  c[6] = iflags & ITEM.REPORT_OWNER ? 'o' : '.';
  c[7] = iflags & ITEM.REPORT_GROUP ? 'g' : '.';
  const times = iflags & (ITEM.REPORT_ATIME | ITEM.REPORT_CRTIME);
  c[8] = !times ? '.' : times === (ITEM.REPORT_ATIME | ITEM.REPORT_CRTIME) ? 'b' : iflags & ITEM.REPORT_ATIME ? 'u' : 'n';
  c[9] = iflags & ITEM.REPORT_ACL ? 'a' : '.';
  c[10] = iflags & ITEM.REPORT_XATTR ? 'x' : '.';
  if (iflags & (ITEM.IS_NEW | ITEM.MISSING_DATA)) {
    const ch = iflags & ITEM.IS_NEW ? '+' : '?';
    for (let i = 2; i < c.length; i++) c[i] = ch;
  } else if ((c[0] === '.' || c[0] === 'h' || c[0] === 'c') && c.slice(2).every((x) => x === '.')) {
    for (let i = 2; i < c.length; i++) c[i] = ' ';
  }
  return c.join('');
}

/**
 * rsync's clean_fname() without options: "//" becomes "/", a "." part
 * inside the path goes (a last one stays), a trailing slash goes, and
 * nothing left is ".".
 */
export function cleanFname(path: Buffer): Buffer {
  const out: number[] = [];
  let i = 0;
  const anchored = path[0] === 0x2f;
  if (anchored) out.push(path[i++]!);
  while (i < path.length) {
    if (path[i] === 0x2f) {
      i++;
      continue;
    }
    if (path[i] === 0x2e && path[i + 1] === 0x2f) {
      i += 2;
      continue;
    }
    while (i < path.length) {
      const b = path[i++]!;
      out.push(b);
      if (b === 0x2f) break;
    }
  }
  if (out.length > (anchored ? 1 : 0) && out[out.length - 1] === 0x2f) out.pop();
  if (out.length === 0) out.push(0x2e);
  return Buffer.from(out);
}

/** A width between % and the letter, as printf reads "%-10s" or "%05u". */
interface Width {
  readonly width: number;
  readonly left: boolean;
  /** A leading 0: numbers are padded with zeros, as printf does; text never is. */
  readonly zeros: boolean;
}

function pad(value: Buffer, w: Width | undefined, numeric = false): Buffer {
  if (!w || value.length >= w.width) return value;
  const fill = w.width - value.length;
  if (w.left) return Buffer.concat([value, Buffer.alloc(fill, ' ')]);
  if (numeric && w.zeros) {
    const negative = value[0] === 0x2d;
    return Buffer.concat([negative ? value.subarray(0, 1) : Buffer.alloc(0), Buffer.alloc(fill, '0'), negative ? value.subarray(1) : value]);
  }
  return Buffer.concat([Buffer.alloc(fill, ' '), value]);
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** %C: the checksum in hex, or as many spaces when there is none to show. */
function checksumText(item: LoggedItem, ctx: FormatContext): Buffer {
  const style = ctx.checksum;
  const { entry, iflags } = item;
  let sum: Buffer | undefined;
  if (isRegular(entry.mode)) {
    if (style.alwaysChecksum && !(iflags & ITEM_DELETED)) sum = entry.checksum;
    // In a dry run nothing is sent: rsync shows its checksum buffer as it is, zeros.
    else if (iflags & ITEM.TRANSFER) sum = item.sent?.checksum ?? Buffer.alloc(style.length);
  }
  if (!sum || style.order === 'none') return Buffer.alloc(style.length * 2, ' ');
  const bytes = Buffer.from(sum.subarray(0, style.length));
  if (style.order === 'reverse') bytes.reverse();
  return text(bytes.toString('hex'));
}

/** What one escape stands for; undefined leaves it as written. */
function expand(code: string, w: Width | undefined, humanize: number, item: LoggedItem, ctx: FormatContext): Buffer | undefined {
  const { entry, iflags } = item;
  const deleted = (iflags & ITEM_DELETED) !== 0;
  const number = (n: number): Buffer => pad(text(String(n)), w, true);
  switch (code) {
    case 'l':
      return pad(text(humanNum(entry.size, humanize)), w);
    case 'U':
      return number(ctx.preserveUid ? entry.uid : 0);
    case 'G':
      return ctx.preserveGid ? number(entry.gid) : pad(text('DEFAULT'), w);
    case 'p':
      return number(ctx.pid);
    case 'M':
      return pad(text(timeString(entry.mtime).replace(/ /g, '-')), w);
    case 'B':
      return pad(text(permString(entry.mode).slice(1)), w);
    case 'o':
      return pad(text(ctx.operation), w);
    case 'f': {
      // A deletion names the file on the receiver, which has no source directory.
      const path = cleanFname(deleted ? entry.name : ctx.sourcePath(entry.name));
      return pad(path[0] === 0x2f ? path.subarray(1) : path, w);
    }
    case 'n':
      return pad(Buffer.concat([entry.name, isDirectory(entry.mode) ? text('/') : Buffer.alloc(0)]), w);
    case 'L': {
      // The width applies to the target, after the arrow.
      if (item.xname && item.xname.length > 0) return Buffer.concat([text(' => '), pad(item.xname, w)]);
      if (isSymlink(entry.mode) && !deleted && entry.linkTarget) return Buffer.concat([text(' -> '), pad(entry.linkTarget, w)]);
      return w ? Buffer.concat([text('    '), pad(Buffer.alloc(0), w)]) : Buffer.alloc(0);
    }
    case 'm':
      // No module: a client is not a daemon.
      return pad(Buffer.alloc(0), w);
    case 't':
      return pad(text(timeString(ctx.now())), w);
    case 'b':
    case 'c': {
      const sent = iflags & ITEM.TRANSFER && item.sent ? item.sent : undefined;
      // The sender writes the file and reads its block checksums.
      const bytes = sent ? (code === 'b' ? sent.written : sent.read) : 0;
      return pad(text(humanNum(bytes, humanize)), w);
    }
    case 'C':
      return pad(checksumText(item, ctx), w);
    case 'i':
      return pad(text(itemize(item, ctx)), w);
    case '%':
      return pad(text('%'), w);
    default:
      return undefined;
  }
}

/** The largest width log_formatted() reads: its buffer of 32 holds '%', '-', the digits and more. */
const MAX_SPEC = 23;

/** Expands a format for one item; the line ends with a newline, as rsync's does. */
export function formatItem(format: string, item: LoggedItem, ctx: FormatContext): Buffer {
  const out: Buffer[] = [];
  let from = 0;
  let p = format.indexOf('%');
  while (p >= 0) {
    let q = p + 1;
    let humanize = 0;
    while (format[q] === "'") (humanize++, q++);
    let spec = '';
    if (format[q] === '-') spec += format[q++];
    while (q < format.length && /\d/.test(format[q]!) && spec.length < MAX_SPEC - 1) spec += format[q++];
    while (format[q] === "'") (humanize++, q++);
    if (q >= format.length) break;
    const digits = spec.replace('-', '');
    const w = digits ? { width: Number.parseInt(digits, 10), left: spec.startsWith('-'), zeros: digits.startsWith('0') } : undefined;
    const value = expand(format[q]!, w, humanize, item, ctx);
    if (value === undefined) {
      // Not an escape: the text stays, and the search goes on from the letter.
      p = format.indexOf('%', q);
      continue;
    }
    out.push(text(format.slice(from, p)), value);
    from = q + 1;
    p = format.indexOf('%', from);
  }
  out.push(text(format.slice(from) + '\n'));
  return Buffer.concat(out);
}
