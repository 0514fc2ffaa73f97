// Decodes file-list entries as a receiver reads them (recv_file_entry in
// rsync's flist.c). Entries are compressed against the previous one (shared
// name prefix, "same as before" flags), so the decoder carries that state
// from entry to entry, and from one incremental file list to the next, for
// the whole run. The state only changes once an entry has been read whole.
import type { ByteQueue } from './byte-queue.js';
import { IOERR_VALID_MASK, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, XMIT } from './constants.js';
import { ProtocolError } from './errors.js';
import { readVarint, readVarint30, readVarlong, readVarlong30, readLongint } from './ints.js';

/** What decides the layout of an entry: fixed for a run after the handshake. */
export interface FlistLayout {
  readonly protocol: number;
  /** Compat flag VARINT_FLIST_FLAGS: flags are a varint and the end marker carries the I/O error. */
  readonly varintFlags: boolean;
  /** The sender may end a list with an I/O-error marker (compat SAFE_FLIST, or protocol 31+). */
  readonly safeFlist: boolean;
  readonly preserveUid: boolean;
  readonly preserveGid: boolean;
  readonly preserveLinks: boolean;
  readonly preserveDevices: boolean;
  readonly preserveSpecials: boolean;
  readonly preserveHardLinks: boolean;
  readonly preserveAtimes: boolean;
  readonly preserveCrtimes: boolean;
  /** -R: names may start with '/'. */
  readonly relativePaths: boolean;
  /** Length of the whole-file checksum each regular file carries with -c, else 0. */
  readonly checksumLength: number;
  /** -A: each entry but a symlink carries its ACL (and a directory its default ACL). */
  readonly preserveAcls: boolean;
  /** -X: each entry carries its extended attributes. */
  readonly preserveXattrs: boolean;
  /** Length of the checksum that stands for a long xattr value (the protocol's implied checksum). */
  readonly xattrChecksumLength: number;
  /** --delete-missing-args: a source path that does not exist comes as an entry with mode 0. */
  readonly missingArgsDeleted: boolean;
}

export interface FileEntry {
  /**
   * The path relative to the transfer root, as the sender's bytes. In an
   * entry fresh from the decoder this is a view the next read overwrites:
   * copy it to keep it (a FileList does).
   */
  readonly name: Buffer;
  readonly mode: number;
  readonly size: number;
  /** Seconds since the epoch; negative before 1970. */
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
  /** The symlink target's bytes, for symlinks when links are preserved. */
  readonly linkTarget: Buffer | undefined;
  /** Protocol 30+: the index of the first entry of this entry's hard-link group, or -1. */
  readonly hardLinkFirst: number;
  /** With -c, a regular file's whole-file checksum as the sender computed it (a view, like the name). */
  readonly checksum?: Buffer;
}

/** What a list ends with: the end marker, with the sender's I/O-error bits when it sent them. */
export interface ListEnd {
  readonly ioError: number;
}

export function fileType(mode: number): number {
  return mode & S_IFMT;
}
export function isDirectory(mode: number): boolean {
  return fileType(mode) === S_IFDIR;
}
export function isRegular(mode: number): boolean {
  return fileType(mode) === S_IFREG;
}
export function isSymlink(mode: number): boolean {
  return fileType(mode) === S_IFLNK;
}
export function isDevice(mode: number): boolean {
  const t = fileType(mode);
  return t === S_IFCHR || t === S_IFBLK;
}
export function isSpecial(mode: number): boolean {
  const t = fileType(mode);
  return t === S_IFIFO || t === S_IFSOCK;
}

const MAX_NAME = 4096;

/** The "same as the previous entry" state a sender and receiver share (the name is kept apart). */
interface Previous {
  nameLength: number;
  mtime: number;
  mode: number;
  uid: number;
  gid: number;
  atime: number;
  rdevMajor: number;
  rdev: number;
}

export class FlistDecoder {
  private prev: Previous = { nameLength: 0, mtime: 0, mode: 0, uid: 0, gid: 0, atime: 0, rdevMajor: 0, rdev: 0 };
  /**
   * The current name, built over the previous one: an entry sends only the
   * bytes after the prefix it shares, so those are written in place. A
   * retried entry shares the same prefix, so an incomplete one harms nothing.
   */
  private readonly nameBuffer = Buffer.allocUnsafe(MAX_NAME);
  /** How many ACLs and xattr sets have been sent whole: later entries may refer back to them by index. */
  private readonly sets = { access: 0, default: 0, xattrs: 0 };
  /** The list being read: where it starts, how many entries so far, and how to look one up. */
  private currentStart = 0;
  private currentCount = 0;
  private lookup: (i: number) => FileEntry = () => {
    throw new RangeError('no list begun');
  };

  constructor(private readonly layout: FlistLayout) {}

  /**
   * Starts a new list whose first entry has index ndxStart. A hard-link
   * follower may refer back to an entry of this list: lookup(i) gives the
   * i-th entry read.
   */
  beginList(ndxStart: number, lookup: (i: number) => FileEntry): void {
    this.currentStart = ndxStart;
    this.currentCount = 0;
    this.lookup = lookup;
  }

  /** Reads one entry or the end of the list; throws Truncated if incomplete (state unchanged). */
  read(q: ByteQueue): FileEntry | ListEnd {
    const L = this.layout;
    let xflags: number;
    if (L.varintFlags) {
      xflags = readVarint(q);
      if (xflags === 0) return { ioError: readVarint(q) & IOERR_VALID_MASK };
    } else {
      xflags = q.u8();
      if (xflags === 0) return { ioError: 0 };
      if (L.protocol >= 28 && xflags & XMIT.EXTENDED_FLAGS) xflags |= q.u8() << 8;
      if (xflags === (XMIT.EXTENDED_FLAGS | XMIT.IO_ERROR_ENDLIST)) {
        if (!L.safeFlist) throw new ProtocolError(`invalid file-list flags 0x${xflags.toString(16)}`);
        return { ioError: readVarint(q) & IOERR_VALID_MASK };
      }
    }
    const entry = this.readEntry(q, xflags);
    this.currentCount++;
    return entry;
  }

  private readEntry(q: ByteQueue, xflags: number): FileEntry {
    const L = this.layout;
    const p = this.prev;
    const shared = xflags & XMIT.SAME_NAME ? q.u8() : 0;
    const added = xflags & XMIT.LONG_NAME ? readVarint30(q, L.protocol) : q.u8();
    if (shared > p.nameLength || shared + added >= MAX_NAME) {
      const previous = this.nameBuffer.toString('utf8', 0, p.nameLength);
      throw new ProtocolError(`file name too long or bad prefix (${shared}+${added} bytes after "${previous}")`);
    }
    q.bytes(added).copy(this.nameBuffer, shared);
    const name = this.nameBuffer.subarray(0, shared + added);
    checkName(name, L.relativePaths);

    let { mtime, mode, uid, gid, atime, rdevMajor, rdev } = p;
    let size = 0;
    let linkTarget: Buffer | undefined;
    let hardLinkFirst = -1;
    let checksum: Buffer | undefined;

    const ref = this.readHardLinkRef(q, xflags);
    if (ref) hardLinkFirst = ref.index;
    if (ref?.first) {
      ({ size, mtime, mode, uid, gid, linkTarget, checksum } = ref.first);
    } else {
      size = readVarlong30(q, L.protocol, 3);
      if (!(xflags & XMIT.SAME_TIME)) mtime = L.protocol >= 30 ? readVarlong(q, 4) : q.u32();
      if (xflags & XMIT.MOD_NSEC) readVarint(q);
      if (L.preserveCrtimes && !(xflags & XMIT.CRTIME_EQ_MTIME)) readVarlong(q, 4);
      if (!(xflags & XMIT.SAME_MODE)) {
        mode = q.u32();
        if (mode !== 0 || !L.missingArgsDeleted) checkMode(mode, name);
      }
      if (L.preserveAtimes && !isDirectory(mode) && !(xflags & XMIT.SAME_ATIME)) atime = readVarlong(q, 4);
      if (L.preserveUid && !(xflags & XMIT.SAME_UID)) {
        uid = readVarint30(q, L.protocol) >>> 0;
        if (L.protocol >= 30 && xflags & XMIT.USER_NAME_FOLLOWS) q.bytes(q.u8());
      }
      if (L.preserveGid && !(xflags & XMIT.SAME_GID)) {
        gid = readVarint30(q, L.protocol) >>> 0;
        if (L.protocol >= 30 && xflags & XMIT.GROUP_NAME_FOLLOWS) q.bytes(q.u8());
      }
      if ((L.preserveDevices && isDevice(mode)) || (L.preserveSpecials && isSpecial(mode) && L.protocol < 31)) {
        if (L.protocol < 28) {
          if (!(xflags & XMIT.SAME_RDEV_PRE28)) rdev = q.i32();
        } else {
          if (!(xflags & XMIT.SAME_RDEV_MAJOR)) rdevMajor = readVarint30(q, L.protocol);
          const minor = L.protocol >= 30 ? readVarint(q) : xflags & XMIT.RDEV_MINOR_8_PRE30 ? q.u8() : q.i32();
          rdev = rdevMajor * 0x100000 + (minor >>> 0);
        }
      }
      if (isDevice(mode)) size = 0;
      if (L.preserveLinks && isSymlink(mode)) {
        const length = readVarint30(q, L.protocol);
        if (length < 0 || length >= MAX_NAME) throw new ProtocolError(`symlink target too long (${length}) for "${name.toString()}"`);
        linkTarget = Buffer.from(q.bytes(length));
      }
      if (L.preserveHardLinks && L.protocol < 30 && (xflags & XMIT.HLINKED || (L.protocol < 28 && isRegular(mode)))) {
        if (L.protocol < 26) {
          q.i32();
          q.i32();
        } else {
          if (!(xflags & XMIT.SAME_DEV_PRE30)) readLongint(q);
          readLongint(q);
        }
      }
      if (L.checksumLength && (isRegular(mode) || L.protocol < 28)) checksum = q.bytes(L.checksumLength);
    }
    if (size < 0) throw new ProtocolError(`negative file length for "${name.toString()}"`);
    const sets = { ...this.sets };
    if (L.preserveAcls && !isSymlink(mode)) {
      sets.access += readAcl(q, sets.access, name);
      if (isDirectory(mode)) sets.default += readAcl(q, sets.default, name);
    }
    if (L.preserveXattrs) sets.xattrs += readXattrs(q, sets.xattrs, L.xattrChecksumLength, name);

    this.prev = { nameLength: name.length, mtime, mode, uid, gid, atime, rdevMajor, rdev };
    Object.assign(this.sets, sets);
    return { name, mode, size, mtime, uid, gid, linkTarget, hardLinkFirst, checksum };
  }

  /**
   * Protocol 30+ sends a hard-link follower as a reference to the group's
   * first entry; when that entry is in the same list, nothing else about the
   * follower is sent and it takes the first entry's attributes (`first`).
   */
  private readHardLinkRef(q: ByteQueue, xflags: number): { index: number; first: FileEntry | undefined } | undefined {
    const L = this.layout;
    if (!(L.protocol >= 30 && xflags & XMIT.HLINKED) || xflags & XMIT.HLINK_FIRST) return undefined;
    const index = readVarint(q);
    const end = this.currentStart + this.currentCount;
    if (index < 0 || index >= end) throw new ProtocolError(`hard-link reference out of range: ${index} (${end})`);
    return { index, first: index >= this.currentStart ? this.lookup(index - this.currentStart) : undefined };
  }
}

/** ACL entry flags (acls.c): which of the four base entries follow, and whether named entries do. */
const ACL_USER_OBJ = 1 << 0;
const ACL_GROUP_OBJ = 1 << 1;
const ACL_MASK_OBJ = 1 << 2;
const ACL_OTHER_OBJ = 1 << 3;
const ACL_NAME_LIST = 1 << 4;
const ACL_NAME_FOLLOWS = 1;
const MAX_ACL_ENTRIES = 65536;

/**
 * One ACL (recv_rsync_acl): an index into the ACLs sent so far plus one, or
 * 0 and a new ACL. Returns how many new ACLs it read (0 or 1).
 */
function readAcl(q: ByteQueue, known: number, name: Buffer): number {
  const ndx = readVarint(q);
  if (ndx < 0 || ndx > known) throw new ProtocolError(`ACL index ${ndx} beyond the ${known} sent, for "${name.toString()}"`);
  if (ndx !== 0) return 0;
  const flags = q.u8();
  for (const bit of [ACL_USER_OBJ, ACL_GROUP_OBJ, ACL_MASK_OBJ, ACL_OTHER_OBJ]) if (flags & bit) readVarint(q);
  if (flags & ACL_NAME_LIST) {
    const count = readVarint(q);
    if (count < 0 || count > MAX_ACL_ENTRIES) throw new ProtocolError(`ACL with ${count} entries, for "${name.toString()}"`);
    for (let i = 0; i < count; i++) {
      readVarint(q);
      if (readVarint(q) & ACL_NAME_FOLLOWS) q.bytes(q.u8());
    }
  }
  return 1;
}

/** Values up to this length are sent whole; longer ones as a checksum, fetched later on request. */
export const MAX_FULL_XATTR = 32;
const MAX_XATTRS = 65536;
const MAX_XATTR_NAME = 4096;

/** One entry's xattr set (receive_xattr): an index back, or 0 and the set. Returns 0 or 1 new sets. */
function readXattrs(q: ByteQueue, known: number, checksumLength: number, name: Buffer): number {
  const ndx = readVarint(q);
  if (ndx < 0 || ndx > known) throw new ProtocolError(`xattr index ${ndx} beyond the ${known} sent, for "${name.toString()}"`);
  if (ndx !== 0) return 0;
  const count = readVarint(q);
  if (count < 0 || count > MAX_XATTRS) throw new ProtocolError(`${count} xattrs for "${name.toString()}"`);
  for (let i = 0; i < count; i++) {
    const nameLength = readVarint(q);
    const valueLength = readVarint(q);
    if (nameLength < 1 || nameLength > MAX_XATTR_NAME || valueLength < 0) {
      throw new ProtocolError(`bad xattr (name ${nameLength} bytes, value ${valueLength}) for "${name.toString()}"`);
    }
    q.bytes(nameLength);
    q.bytes(valueLength > MAX_FULL_XATTR ? checksumLength : valueLength);
  }
  return 1;
}

function checkMode(mode: number, name: Buffer): void {
  const t = fileType(mode);
  if (t !== S_IFREG && t !== S_IFDIR && t !== S_IFLNK && t !== S_IFCHR && t !== S_IFBLK && t !== S_IFIFO && t !== S_IFSOCK) {
    throw new ProtocolError(`invalid file mode 0${mode.toString(8)} for "${name.toString()}"`);
  }
}

/** The receiver refuses names that climb out of the destination; so does the broker, before relaying them. */
function checkName(name: Buffer, relativePaths: boolean): void {
  if (name.length === 0) return;
  if (name[0] === 0x2f && !relativePaths) throw new ProtocolError(`unsafe absolute path from sender: "${name.toString()}"`);
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i === name.length || name[i] === 0x2f) {
      if (i - start === 2 && name[start] === 0x2e && name[start + 1] === 0x2e) {
        throw new ProtocolError(`unsafe path with ".." from sender: "${name.toString()}"`);
      }
      start = i + 1;
    }
  }
}
