import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteQueue, Truncated } from '../../../src/protocol/byte-queue.js';
import { S_IFDIR, S_IFLNK, S_IFREG, XMIT } from '../../../src/protocol/constants.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { FlistDecoder, type FileEntry, type FlistLayout, type ListEnd } from '../../../src/protocol/flist-decoder.js';
import { encodeInt, encodeVarint, encodeVarlong } from '../../../src/protocol/ints.js';

const modern: FlistLayout = {
  protocol: 31,
  varintFlags: true,
  safeFlist: true,
  preserveUid: true,
  preserveGid: true,
  preserveLinks: true,
  preserveDevices: true,
  preserveSpecials: true,
  preserveHardLinks: true,
  preserveAtimes: false,
  preserveCrtimes: false,
  relativePaths: false,
  checksumLength: 0,
  preserveAcls: false,
  preserveXattrs: false,
  xattrChecksumLength: 16,
  missingArgsDeleted: false,
};

const b = (...parts: (Buffer | number[] | string)[]): Buffer =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

function readAll(layout: FlistLayout, bytes: Buffer): (FileEntry | ListEnd)[] {
  const d = new FlistDecoder(layout);
  const read: FileEntry[] = [];
  d.beginList(0, (i) => read[i]!);
  const q = new ByteQueue();
  q.push(bytes);
  const out: (FileEntry | ListEnd)[] = [];
  for (;;) {
    const item = d.read(q);
    if (!('name' in item)) return [...out, item];
    const kept = { ...item, name: Buffer.from(item.name) };
    out.push(kept);
    read.push(kept);
  }
}

// Entries as send_file_entry() in rsync's flist.c writes them at protocol 31 with varint flags.
const dotDir = b(encodeVarint(XMIT.TOP_DIR), [1], '.', encodeVarlong(4096, 3), encodeVarlong(1_700_000_000, 4), encodeInt(S_IFDIR | 0o755), encodeVarint(1000), encodeVarint(1000));
const fileA = b(
  encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID),
  [1],
  'a',
  encodeVarlong(6, 3),
  encodeVarlong(1_700_000_001, 4),
  encodeInt(S_IFREG | 0o644),
);
// "ab": shares "a" with the previous name, same time and mode; a non-UTF-8 byte in the name.
const fileAb = b(encodeVarint(XMIT.SAME_NAME | XMIT.SAME_TIME | XMIT.SAME_MODE | XMIT.SAME_UID | XMIT.SAME_GID), [1, 2], [0x62, 0xff], encodeVarlong(0, 3));
const link = b(
  encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID | XMIT.SAME_TIME),
  [4],
  'link',
  encodeVarlong(1, 3),
  encodeInt(S_IFLNK | 0o777),
  encodeVarint(1),
  'a',
);
const end = b(encodeVarint(0), encodeVarint(0));

test('reads entries compressed against the previous one, names as bytes', () => {
  const items = readAll(modern, b(dotDir, fileA, fileAb, link, end));
  const entries = items.filter((i): i is FileEntry => 'name' in i);
  assert.deepEqual(entries.map((e) => e.name), [Buffer.from('.'), Buffer.from('a'), Buffer.from([0x61, 0x62, 0xff]), Buffer.from('link')]);
  assert.equal(entries[2]!.mtime, 1_700_000_001);
  assert.equal(entries[2]!.mode, S_IFREG | 0o644);
  assert.equal(entries[1]!.uid, 1000);
  assert.deepEqual(entries[3]!.linkTarget, Buffer.from('a'));
  assert.deepEqual(items.at(-1), { ioError: 0 });
});

test('the end marker carries the sender I/O error', () => {
  assert.deepEqual(readAll(modern, b(encodeVarint(0), encodeVarint(1))), [{ ioError: 1 }]);
  const old = { ...modern, protocol: 30, varintFlags: false };
  assert.deepEqual(readAll(old, b([XMIT.EXTENDED_FLAGS, XMIT.IO_ERROR_ENDLIST >> 8], encodeVarint(2))), [{ ioError: 2 }]);
  assert.throws(() => readAll({ ...old, safeFlist: false }, b([XMIT.EXTENDED_FLAGS, XMIT.IO_ERROR_ENDLIST >> 8], encodeVarint(2))), ProtocolError);
});

test('protocol 29: byte flags, int32 times, modes and ids; names of owners in a list after', () => {
  const layout = { ...modern, protocol: 29, varintFlags: false, safeFlist: false };
  const entry = b([XMIT.TOP_DIR], [1], 'f', encodeInt(10), encodeInt(1_600_000_000), encodeInt(S_IFREG | 0o600), encodeInt(0), encodeInt(0));
  const [f, listEnd] = readAll(layout, b(entry, [0]));
  assert.equal((f as FileEntry).size, 10);
  assert.equal((f as FileEntry).mtime, 1_600_000_000);
  assert.deepEqual(listEnd, { ioError: 0 });
});

test('a hard-link follower in the same list takes its leader attributes', () => {
  const leader = b(encodeVarint(XMIT.HLINKED | XMIT.HLINK_FIRST | XMIT.SAME_UID | XMIT.SAME_GID), [1], 'h', encodeVarlong(42, 3), encodeVarlong(5, 4), encodeInt(S_IFREG | 0o600));
  const follower = b(encodeVarint(XMIT.HLINKED | XMIT.SAME_NAME), [1, 1], '2', encodeVarint(0));
  const [one, two] = readAll(modern, b(leader, follower, end)) as FileEntry[];
  assert.deepEqual(two!.name, Buffer.from('h2'));
  assert.equal(two!.size, 42);
  assert.equal(two!.hardLinkFirst, 0);
  assert.equal(one!.hardLinkFirst, -1);
});

test('an entry cut short leaves the decoder where it was', () => {
  const d = new FlistDecoder(modern);
  d.beginList(0, () => assert.fail('no hard links here'));
  const q = new ByteQueue();
  const both = b(fileA, fileAb);
  q.push(both.subarray(0, fileA.length + 3));
  assert.deepEqual(Buffer.from((d.read(q) as FileEntry).name), Buffer.from('a'));
  const mark = q.mark();
  assert.throws(() => d.read(q), Truncated);
  q.rewind(mark);
  q.push(both.subarray(fileA.length + 3));
  assert.deepEqual((d.read(q) as FileEntry).name, Buffer.from([0x61, 0x62, 0xff]));
});

test('names that climb out of the destination are refused before they are relayed', () => {
  const evil = b(encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID), [5], '../x', encodeVarlong(0, 3), encodeVarlong(1, 4), encodeInt(S_IFREG | 0o644));
  assert.throws(() => readAll(modern, evil), (e: Error) => e instanceof ProtocolError && /\.\./.test(e.message));
  const absolute = b(encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID), [4], '/etc', encodeVarlong(0, 3), encodeVarlong(1, 4), encodeInt(S_IFREG | 0o644));
  assert.throws(() => readAll(modern, absolute), /absolute/);
});

test('a mode that is no file type is refused', () => {
  const bad = b(encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID), [1], 'x', encodeVarlong(0, 3), encodeVarlong(1, 4), encodeInt(0o777));
  assert.throws(() => readAll(modern, bad), /invalid file mode/);
});

test('ACLs and xattrs travel in the entry; later entries may point back at a set already sent', () => {
  const layout = { ...modern, preserveAcls: true, preserveXattrs: true };
  const acl = b(encodeVarint(0), [0b11011], encodeVarint(6), encodeVarint(4), encodeVarint(4), encodeVarint(1), encodeVarint(65534), encodeVarint((4 << 2) | 0b11), [6], 'nobody');
  const xattrs = b(encodeVarint(0), encodeVarint(2), encodeVarint(10), encodeVarint(5), 'user.test\0', 'hello', encodeVarint(10), encodeVarint(100), 'user.long\0', Buffer.alloc(16, 1));
  const first = b(fileA, acl, xattrs);
  const second = b(encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID | XMIT.SAME_MODE | XMIT.SAME_TIME), [1], 'c', encodeVarlong(0, 3), encodeVarint(1), encodeVarint(1));
  const entries = readAll(layout, b(first, second, end)).filter((i): i is FileEntry => 'name' in i);
  assert.deepEqual(entries.map((e) => e.name.toString()), ['a', 'c']);
  const pointsTooFar = b(encodeVarint(XMIT.SAME_UID | XMIT.SAME_GID | XMIT.SAME_MODE | XMIT.SAME_TIME), [1], 'c', encodeVarlong(0, 3), encodeVarint(2), encodeVarint(1));
  assert.throws(() => readAll(layout, b(first, pointsTooFar, end)), /ACL index 2 beyond the 1 sent/);
});
