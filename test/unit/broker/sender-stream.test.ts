import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SenderStream, type SenderStats, type StreamLayout } from '../../../src/broker/sender-stream.js';
import { layout } from './stream-layout.js';
import { ITEM, NDX_DONE, NDX_FLIST_EOF, NDX_FLIST_OFFSET, S_IFDIR, S_IFREG, XMIT } from '../../../src/protocol/constants.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { encodeInt, encodeVarint, encodeVarlong } from '../../../src/protocol/ints.js';
import { NdxEncoder } from '../../../src/protocol/ndx.js';


const entry = (name: string, mode: number, size: number): Buffer =>
  Buffer.concat([encodeVarint(XMIT.TOP_DIR), Buffer.from([name.length]), Buffer.from(name), encodeVarlong(size, 3), encodeVarlong(1000, 4), encodeInt(mode)]);
const endOfList = Buffer.concat([encodeVarint(0), encodeVarint(0)]);
const u16 = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

interface Seen {
  lists: number[];
  /** Each list's size on the wire. */
  listBytes: number[];
  items: [number, number, string][];
  transfers: [string, number, number][];
  /** What the sender wrote and read for each file (%b, %c) and its checksum's first byte (%C). */
  sent: [number, number, number][];
  ndxDone: number;
  stats: SenderStats[];
}

function follow(l: StreamLayout, stream: Buffer, piece: number): { relayed: Buffer; seen: Seen; s: SenderStream } {
  const seen: Seen = { lists: [], listBytes: [], items: [], transfers: [], sent: [], ndxDone: 0, stats: [] };
  const s = new SenderStream(l, {
    fileList: (list, _ioError, bytes) => {
      seen.lists.push(list.count);
      seen.listBytes.push(bytes);
    },
    listsComplete: () => undefined,
    item: (ndx, iflags, e) => seen.items.push([ndx, iflags, e?.name.toString() ?? '?']),
    progress: () => undefined,
    transferred: (_ndx, e, literal, matched, sent) => {
      seen.transfers.push([e?.name.toString() ?? '?', literal, matched]);
      seen.sent.push([sent.written, sent.read, sent.checksum[0]!]);
    },
    ndxDone: () => seen.ndxDone++,
    deleteStats: () => undefined,
    senderStats: (st) => seen.stats.push(st),
  });
  const relayed: Buffer[] = [];
  for (let i = 0; i < stream.length; i += piece) relayed.push(...s.push(stream.subarray(i, i + piece)));
  return { relayed: Buffer.concat(relayed), seen, s };
}

// A whole run as a protocol-31 sender writes it: one list, one unchanged
// directory, one file sent with 5 literal bytes and a block match, the three
// phase ends, the statistics and the answer to the final goodbye.
function protocol31Run(): { before: Buffer; stats: Buffer; after: Buffer } {
  const ndx = new NdxEncoder(31);
  const before = Buffer.concat([
    entry('.', S_IFDIR | 0o755, 0),
    entry('f', S_IFREG | 0o644, 5 + 700),
    endOfList,
    ndx.encode(0),
    u16(0),
    ndx.encode(1),
    u16(ITEM.TRANSFER),
    encodeInt(1), encodeInt(700), encodeInt(2), encodeInt(0), // one block of 700
    encodeInt(5), Buffer.from('hello'), encodeInt(-1), encodeInt(0),
    Buffer.alloc(16, 0xab),
    ndx.encode(NDX_DONE),
    ndx.encode(NDX_DONE),
    ndx.encode(NDX_DONE),
  ]);
  const stats = Buffer.concat([encodeVarlong(100, 3), encodeVarlong(900, 3), encodeVarlong(705, 3), encodeVarlong(2, 3), encodeVarlong(1, 3)]);
  return { before, stats, after: ndx.encode(NDX_DONE) };
}

test('relays everything but the sender statistics, whatever the chunking', () => {
  const run = protocol31Run();
  const stream = Buffer.concat([run.before, run.stats, run.after]);
  for (const piece of [1, 2, 3, 5, 8, 64, stream.length]) {
    const { relayed, seen, s } = follow(layout, stream, piece);
    assert.deepEqual(relayed, Buffer.concat([run.before, run.after]), `pieces of ${piece}`);
    assert.deepEqual(seen.lists, [2]);
    assert.deepEqual(seen.items, [
      [0, 0, '.'],
      [1, ITEM.TRANSFER, 'f'],
    ]);
    assert.deepEqual(seen.transfers, [['f', 5, 700]]);
    // Written: index 1, flags 2, layout 16, literal 4+5, match 4, end 4, checksum 16; read: the layout and one block's 4+2 sums.
    assert.deepEqual(seen.sent, [[1 + 2 + 16 + 9 + 4 + 4 + 16, 16 + 6, 0xab]]);
    // Two entries of 14 bytes (flags, name length, name, size, mtime, mode) and the 2-byte end marker.
    assert.deepEqual(seen.listBytes, [30]);
    assert.equal(seen.ndxDone, 3);
    assert.deepEqual(seen.stats, [{ totalRead: 100, totalWritten: 900, totalSize: 705, flistBuildTime: 2, flistTransferTime: 1 }]);
    assert.equal(s.finished, true);
  }
});

test('bytes after the end of the run are a protocol error', () => {
  const run = protocol31Run();
  assert.throws(() => follow(layout, Buffer.concat([run.before, run.stats, run.after, Buffer.from([1])]), 1000), ProtocolError);
});

test('protocol 29: two phases, no goodbye answer, io_error after the list', () => {
  const l = { ...layout, protocol: 29, varintFlags: false, safeFlist: false };
  const ndx = new NdxEncoder(29);
  const before = Buffer.concat([
    Buffer.from([XMIT.TOP_DIR, 1]), Buffer.from('.'), encodeInt(0), encodeInt(1000), encodeInt(S_IFDIR | 0o755),
    Buffer.from([0]),
    encodeInt(0), // io_error
    ndx.encode(NDX_DONE), ndx.encode(NDX_DONE), ndx.encode(NDX_DONE),
  ]);
  const stats = Buffer.concat([encodeInt(10), encodeInt(20), encodeInt(0), encodeInt(1), encodeInt(1)]);
  const { relayed, seen, s } = follow(l, Buffer.concat([before, stats]), 3);
  assert.deepEqual(relayed, before);
  assert.equal(seen.stats.length, 1);
  assert.equal(s.finished, true);
});

test('incremental recursion: a sub-list per directory; its index minus one names the directory', () => {
  const l = { ...layout, incRecurse: true };
  const ndx = new NdxEncoder(31);
  const stream = Buffer.concat([
    entry('.', S_IFDIR | 0o755, 0), entry('d', S_IFDIR | 0o755, 0), endOfList, // list 1: indexes 1, 2; dirs "." and "d"
    ndx.encode(NDX_FLIST_OFFSET - 1), // list for dir 1 ("d"), starting at index 4
    Buffer.concat([encodeVarint(XMIT.TOP_DIR), Buffer.from([3]), Buffer.from('d/x'), encodeVarlong(0, 3), encodeVarlong(1000, 4), encodeInt(S_IFREG | 0o644)]),
    endOfList,
    ndx.encode(NDX_FLIST_EOF),
    ndx.encode(3), u16(0), // the directory "d", itemized as the list's parent
    ndx.encode(4), u16(ITEM.IS_NEW),
  ]);
  const { seen } = follow(l, stream, 7);
  assert.deepEqual(seen.lists, [2, 1]);
  // A sub-list's size counts the index that announces it (2 bytes here), as rsync's does.
  assert.deepEqual(seen.listBytes, [30, 2 + 16 + 2]);
  assert.deepEqual(seen.items, [
    [3, 0, 'd'],
    [4, ITEM.IS_NEW, 'd/x'],
  ]);
});

test('an index no list holds is a protocol error, not a guess', () => {
  const ndx = new NdxEncoder(31);
  const stream = Buffer.concat([entry('.', S_IFDIR | 0o755, 0), endOfList, ndx.encode(5), u16(0)]);
  assert.throws(() => follow(layout, stream, 100), /file index 5 is not in any file list/);
});
