// Numbers of the rsync wire protocol, each named once. Values come from
// rsync's rsync.h, compat.c and errcode.h, which define the protocol.

/** The protocol versions relaysync speaks; 32 is 31 on the wire (3.4.0 raised it to mark patched servers). */
export const PROTOCOL_MIN = 27;
export const PROTOCOL_MAX = 32;
/** What rsync itself accepts from a peer before calling the stream garbage. */
export const PROTOCOL_SANE_MIN = 20;
export const PROTOCOL_SANE_MAX = 40;

/** The rsync releases that speak each protocol at most (rsync's NEWS.md), for messages about an old server. */
export function rsyncReleasesOf(protocol: number): string {
  const releases: Readonly<Record<number, string>> = {
    27: 'rsync 2.6.0',
    28: 'rsync 2.6.1 to 2.6.3',
    29: 'rsync 2.6.4 to 2.6.9',
    30: 'rsync 3.0',
    31: 'rsync 3.1.0 to 3.3.0',
  };
  if (protocol < PROTOCOL_MIN) return 'rsync older than 2.6.0';
  return releases[protocol] ?? 'rsync 3.4.0 or newer';
}

/** Multiplexed frame header: 4 bytes little-endian, (MPLEX_BASE + tag) << 24 | length. */
export const MPLEX_BASE = 7;
export const MAX_FRAME_LENGTH = 0xffffff;

export const MSG = {
  DATA: 0,
  ERROR_XFER: 1,
  INFO: 2,
  ERROR: 3,
  WARNING: 4,
  ERROR_SOCKET: 5,
  LOG: 6,
  CLIENT: 7,
  ERROR_UTF8: 8,
  REDO: 9,
  STATS: 10,
  IO_ERROR: 22,
  IO_TIMEOUT: 33,
  NOOP: 42,
  ERROR_EXIT: 86,
  SUCCESS: 100,
  DELETED: 101,
  NO_SEND: 102,
} as const;

export const NDX_DONE = -1;
export const NDX_FLIST_EOF = -2;
export const NDX_DEL_STATS = -3;
export const NDX_FLIST_OFFSET = -101;

/** Compat flags a protocol-30+ server sends after the version exchange. */
export const CF = {
  INC_RECURSE: 1 << 0,
  SYMLINK_TIMES: 1 << 1,
  SYMLINK_ICONV: 1 << 2,
  SAFE_FLIST: 1 << 3,
  AVOID_XATTR_OPTIM: 1 << 4,
  CHKSUM_SEED_FIX: 1 << 5,
  INPLACE_PARTIAL_DIR: 1 << 6,
  VARINT_FLIST_FLAGS: 1 << 7,
  ID0_NAMES: 1 << 8,
} as const;

/**
 * The capability letters a client puts after `-e.` on the server command
 * line, and the compat flag each one turns on. 'L' and 's' are not here:
 * the server sets those bits from what it can do itself, not from the letter.
 */
export const CAPABILITY_FLAGS: Readonly<Record<string, number>> = {
  i: CF.INC_RECURSE,
  f: CF.SAFE_FLIST,
  x: CF.AVOID_XATTR_OPTIM,
  C: CF.CHKSUM_SEED_FIX,
  I: CF.INPLACE_PARTIAL_DIR,
  v: CF.VARINT_FLIST_FLAGS,
  u: CF.ID0_NAMES,
};
/** Every letter a current client offers, in rsync's order. */
export const CAPABILITY_LETTERS = 'iLsfxCIvu';

/** File-list entry flags ("xflags"). Some bits mean different things by protocol. */
export const XMIT = {
  TOP_DIR: 1 << 0,
  SAME_MODE: 1 << 1,
  SAME_RDEV_PRE28: 1 << 2,
  EXTENDED_FLAGS: 1 << 2,
  SAME_UID: 1 << 3,
  SAME_GID: 1 << 4,
  SAME_NAME: 1 << 5,
  LONG_NAME: 1 << 6,
  SAME_TIME: 1 << 7,
  SAME_RDEV_MAJOR: 1 << 8,
  NO_CONTENT_DIR: 1 << 8,
  HLINKED: 1 << 9,
  SAME_DEV_PRE30: 1 << 10,
  USER_NAME_FOLLOWS: 1 << 10,
  RDEV_MINOR_8_PRE30: 1 << 11,
  GROUP_NAME_FOLLOWS: 1 << 11,
  HLINK_FIRST: 1 << 12,
  IO_ERROR_ENDLIST: 1 << 12,
  MOD_NSEC: 1 << 13,
  SAME_ATIME: 1 << 14,
  CRTIME_EQ_MTIME: 1 << 17,
} as const;

/** Item flags the generator sends with each file index (itemize). */
export const ITEM = {
  REPORT_ATIME: 1 << 0,
  REPORT_CHANGE: 1 << 1,
  REPORT_SIZE: 1 << 2,
  REPORT_TIMEFAIL: 1 << 2,
  REPORT_TIME: 1 << 3,
  REPORT_PERMS: 1 << 4,
  REPORT_OWNER: 1 << 5,
  REPORT_GROUP: 1 << 6,
  REPORT_ACL: 1 << 7,
  REPORT_XATTR: 1 << 8,
  REPORT_CRTIME: 1 << 10,
  BASIS_TYPE_FOLLOWS: 1 << 11,
  XNAME_FOLLOWS: 1 << 12,
  IS_NEW: 1 << 13,
  LOCAL_CHANGE: 1 << 14,
  TRANSFER: 1 << 15,
  /** Outside the transmitted range: what protocols < 29 imply for every index. */
  MISSING_DATA: 1 << 16,
} as const;

/** Item flags that make an entry worth reporting. */
export const SIGNIFICANT_ITEM_FLAGS = ~(ITEM.BASIS_TYPE_FOLLOWS | ITEM.XNAME_FOLLOWS | ITEM.LOCAL_CHANGE);

/** I/O error bits the sender reports; a receiver skips deletions when any is set. */
export const IOERR_VALID_MASK = 0b111;

/** File type bits of st_mode, as rsync sends them (Linux values, which rsync uses on the wire). */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;
export const S_IFSOCK = 0o140000;

/** Compressed token stream framing (token.c), shared by zlib, zlibx, zstd and lz4. */
export const TOKEN = {
  END_FLAG: 0x00,
  LONG: 0x20,
  RUN_LONG: 0x21,
  DEFLATED_DATA: 0x40,
  REL: 0x80,
  RUN_REL: 0xc0,
} as const;

/** rsync's exit codes (errcode.h). */
export const RERR = {
  OK: 0,
  SYNTAX: 1,
  PROTOCOL: 2,
  FILESELECT: 3,
  UNSUPPORTED: 4,
  STARTCLIENT: 5,
  SOCKETIO: 10,
  FILEIO: 11,
  STREAMIO: 12,
  MESSAGEIO: 13,
  IPC: 14,
  SIGNAL: 20,
  PARTIAL: 23,
  VANISHED: 24,
  DEL_LIMIT: 25,
  TIMEOUT: 30,
  CMD_FAILED: 126,
  CMD_NOTFOUND: 127,
} as const;

/** Largest path rsync accepts in a file list (MAXPATHLEN). */
export const MAXPATHLEN = 4096;
