// rsync's --out-format / --log-file-format escapes (log_formatted in log.c):
// %n name, %L link target, %i itemized changes, %l length, %b/%c bytes,
// %f full path, %M mtime, %B permissions, %U/%G owner, %C checksum, %o
// operation, %t time, %p pid, %%; a width between % and the letter pads,
// "-" left-aligns, and apostrophes group digits. Daemon-only escapes (%h %a
// %m %P %u) have no value for a client and stay as written.
import { ITEM } from '../protocol/constants.js';
import { isDevice, isDirectory, isSpecial, isSymlink, type FileEntry } from '../protocol/flist-decoder.js';
import { displayName } from './display-name.js';
import { permString, timeString } from './file-attributes.js';
import { humanNum } from './numbers.js';

/** One item to log: a file the sender handled, or one the receiver deleted. */
export interface LoggedItem {
  readonly entry: FileEntry;
  /** Item flags as the generator sent them, plus ITEM_DELETED for a deletion. */
  readonly iflags: number;
  /** "send" for what the source sent, "del." for a deletion. */
  readonly operation: string;
  /** The hard-link target's name (ITEM_XNAME_FOLLOWS with a local change). */
  readonly hardLinkTarget: Buffer | undefined;
  /** Bytes of the file's data on the wire (%b, %c). */
  readonly bytes: number;
  /** The whole-file checksum, hex, when known (%C); its width in hex digits otherwise. */
  readonly checksum: string | number;
  /** The source's path for the transfer root, for %f. */
  readonly sourcePath: string;
}

export interface FormatContext {
  /** Modification times are preserved (-t): %i then shows t rather than T for a changed time. */
  readonly preserveMtimes: boolean;
  /** The receiver can set symlink times (its compat flags say so). */
  readonly receiverSymlinkTimes: boolean;
  readonly pid: number;
  readonly now: () => number;
}

/** Outside the transmitted range: a deletion, for %i. */
export const ITEM_DELETED = 1 << 17;

/** %i: the 11-character summary of what changed (rsync's --itemize-changes). */
export function itemize(item: LoggedItem, ctx: FormatContext): string {
  const { iflags, entry } = item;
  if (iflags & ITEM_DELETED) return '*deleting  ';
  const c: string[] = [];
  c[0] = iflags & ITEM.LOCAL_CHANGE ? (iflags & ITEM.XNAME_FOLLOWS ? 'h' : 'c') : !(iflags & ITEM.TRANSFER) ? '.' : item.operation.startsWith('s') ? '<' : '>';
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

/** Joins two path parts and removes what rsync's clean_fname removes: "//", "./" parts, a trailing "/". */
function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return (absolute ? '/' : '') + parts.join('/') || '.';
}

/** Applies a width and alignment ("%-10n") to a value. */
function aligned(value: string, spec: string): string {
  if (!spec) return value;
  const width = Number(spec.replace('-', ''));
  return spec.startsWith('-') ? value.padEnd(width) : value.padStart(width);
}

export function formatItem(format: string, item: LoggedItem, ctx: FormatContext): string {
  const { entry } = item;
  return format.replace(/%('*)(-?\d*)('*)(.)/gs, (whole, q1: string, spec: string, q2: string, code: string) => {
    const humanize = q1.length + q2.length;
    const value = ((): string | undefined => {
      switch (code) {
        case 'n':
          return displayName(entry.name) + (isDirectory(entry.mode) ? '/' : '');
        case 'f': {
          const full = cleanPath(`${item.sourcePath}/${entry.name.toString('latin1')}`);
          return displayName(Buffer.from(full.replace(/^\//, ''), 'latin1'));
        }
        case 'L':
          if (item.hardLinkTarget && item.hardLinkTarget.length) return ' => ' + aligned(displayName(item.hardLinkTarget), spec);
          if (isSymlink(entry.mode) && entry.linkTarget) return ' -> ' + aligned(displayName(entry.linkTarget), spec);
          return spec ? '    ' + aligned('', spec) : '';
        case 'i':
          return itemize(item, ctx);
        case 'l':
          return humanNum(entry.size, humanize);
        case 'b':
        case 'c':
          // The client sender wrote the data: %b counts it, %c (bytes received) does not.
          return humanNum(item.iflags & ITEM.TRANSFER && code === 'b' ? item.bytes : 0, humanize);
        case 'M':
          return timeString(entry.mtime).replace(/ /g, '-');
        case 'B':
          return permString(entry.mode).slice(1);
        case 'U':
          return String(entry.uid);
        case 'G':
          return String(entry.gid);
        case 'o':
          return item.operation;
        case 'C':
          return typeof item.checksum === 'string' ? item.checksum : ' '.repeat(item.checksum);
        case 't':
          return timeString(ctx.now());
        case 'p':
          return String(ctx.pid);
        case '%':
          return '%';
        default:
          return undefined;
      }
    })();
    if (value === undefined) return whole;
    return code === 'L' ? value : aligned(value, spec);
  });
}
