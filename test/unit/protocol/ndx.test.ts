import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteQueue, Truncated } from '../../../src/protocol/byte-queue.js';
import { NDX_DONE, NDX_FLIST_EOF, NDX_FLIST_OFFSET } from '../../../src/protocol/constants.js';
import { NdxDecoder, NdxEncoder } from '../../../src/protocol/ndx.js';

// Worked out from write_ndx() in rsync's io.c: a diff from the previous index of the same sign.
test('protocol 30+ sends indexes as differences', () => {
  const e = new NdxEncoder(31);
  assert.deepEqual([...e.encode(0)], [0x01]); // 0 - (-1)
  assert.deepEqual([...e.encode(1)], [0x01]);
  assert.deepEqual([...e.encode(300)], [0xfe, 0x01, 0x2b]); // diff 299
  assert.deepEqual([...e.encode(NDX_DONE)], [0x00]);
  assert.deepEqual([...e.encode(NDX_FLIST_EOF)], [0xff, 0x01]); // 2 - 1
  assert.deepEqual([...e.encode(100_000)], [0xfe, 0x80, 0xa0, 0x86, 0x01]); // a large jump: all four bytes
  assert.deepEqual([...e.encode(5)], [0xfe, 0x80, 0x05, 0x00, 0x00]); // a step back: all four bytes
});

test('before protocol 30 an index is a plain int32', () => {
  assert.deepEqual([...new NdxEncoder(29).encode(NDX_DONE)], [0xff, 0xff, 0xff, 0xff]);
  assert.deepEqual([...new NdxEncoder(29).encode(7)], [7, 0, 0, 0]);
});

test('a decoder follows an encoder through any sequence', () => {
  for (const protocol of [29, 31]) {
    const sequence = [0, 1, 2, 5, 260, 261, NDX_DONE, NDX_FLIST_OFFSET - 3, 262, NDX_FLIST_EOF, 70_000, 3, NDX_DONE, NDX_FLIST_OFFSET - 40_000];
    const e = new NdxEncoder(protocol);
    const q = new ByteQueue();
    for (const n of sequence) q.push(e.encode(n));
    const d = new NdxDecoder(protocol);
    assert.deepEqual(sequence.map(() => d.read(q)), sequence, `protocol ${protocol}`);
  }
});

test('a truncated index leaves the decoder state as it was', () => {
  const e = new NdxEncoder(31);
  const bytes = Buffer.concat([e.encode(10), e.encode(100_000)]);
  const d = new NdxDecoder(31);
  const q = new ByteQueue();
  q.push(bytes.subarray(0, 3));
  assert.equal(d.read(q), 10);
  const mark = q.mark();
  assert.throws(() => d.read(q), Truncated);
  q.rewind(mark);
  q.push(bytes.subarray(3));
  assert.equal(d.read(q), 100_000);
});
