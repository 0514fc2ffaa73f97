import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileLists } from '../../../src/broker/file-lists.js';
import { GeneratorStream } from '../../../src/broker/generator-stream.js';
import { ITEM, NDX_DONE, S_IFDIR, S_IFREG } from '../../../src/protocol/constants.js';
import { encodeInt } from '../../../src/protocol/ints.js';
import { NdxEncoder } from '../../../src/protocol/ndx.js';
import { layout } from './stream-layout.js';

const u16 = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

function listOfOneFile(): FileLists {
  const lists = new FileLists(false, { owners: false, hardLinks: false, unsorted: false });
  const list = lists.begin();
  list.add({ name: Buffer.from('.'), mode: S_IFDIR | 0o755, size: 0, mtime: 1, uid: 0, gid: 0, linkTarget: undefined, hardLinkFirst: -1 });
  list.add({ name: Buffer.from('f'), mode: S_IFREG | 0o644, size: 1400, mtime: 1, uid: 0, gid: 0, linkTarget: undefined, hardLinkFirst: -1 });
  lists.finish(list, 31);
  return lists;
}

// With --append the generator asks for file 1 with its block layout only (two
// blocks of 700, 16-byte strong sums), then redoes it with the checksums.
function appendRun(): Buffer {
  const ndx = new NdxEncoder(31);
  const twoBlocks = Buffer.concat([encodeInt(2), encodeInt(700), encodeInt(16), encodeInt(0)]);
  return Buffer.concat([
    ndx.encode(1), u16(ITEM.TRANSFER), twoBlocks,
    ndx.encode(NDX_DONE),
    ndx.encode(1), u16(ITEM.TRANSFER), twoBlocks, Buffer.alloc(2 * (4 + 16), 0x5a),
    ndx.encode(NDX_DONE),
  ]);
}

test('append mode: the first request has no block checksums, the redo has them, whatever the chunking', () => {
  const stream = appendRun();
  for (const piece of [1, 3, 7, stream.length]) {
    const seen: [number, number, string | undefined][] = [];
    const g = new GeneratorStream({ ...layout, appendMode: true }, listOfOneFile(), {
      requested: (ndx, iflags, entry) => seen.push([ndx, iflags, entry?.name.toString()]),
    });
    for (let i = 0; i < stream.length; i += piece) g.push(stream.subarray(i, i + piece));
    assert.deepEqual(seen, [
      [1, ITEM.TRANSFER, 'f'],
      [NDX_DONE, 0, undefined],
      [1, ITEM.TRANSFER, 'f'],
      [NDX_DONE, 0, undefined],
    ], `pieces of ${piece}`);
  }
});

test('without append mode the same bytes are read as checksums, and the stream is refused', () => {
  const g = new GeneratorStream(layout, listOfOneFile(), { requested: () => undefined });
  assert.throws(() => g.push(appendRun()), /invalid file index|not in any file list|invalid block layout/);
});
