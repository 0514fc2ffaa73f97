import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteQueue, Truncated } from '../../../src/protocol/byte-queue.js';

test('reads across chunk boundaries and rewinds to a mark', () => {
  const q = new ByteQueue();
  q.push(Buffer.from([1, 2]));
  q.push(Buffer.from([3, 4, 5]));
  const mark = q.mark();
  assert.equal(q.u8(), 1);
  assert.equal(q.i32(), 0x05040302);
  assert.equal(q.available, 0);
  q.rewind(mark);
  assert.equal(q.available, 5);
  assert.deepEqual([...q.bytes(3)], [1, 2, 3]);
});

test('a read past the end throws Truncated and a rewind restores the position', () => {
  const q = new ByteQueue();
  q.push(Buffer.from([9, 8, 7]));
  const mark = q.mark();
  q.u8();
  assert.throws(() => q.i32(), Truncated);
  q.rewind(mark);
  q.push(Buffer.from([6, 5]));
  assert.equal(q.u8(), 9);
  assert.equal(q.i32(), 0x05060708);
});

test('bytes within one chunk are views, not copies', () => {
  const chunk = Buffer.from([1, 2, 3, 4]);
  const q = new ByteQueue();
  q.push(chunk);
  const view = q.bytes(2);
  chunk[0] = 42;
  assert.equal(view[0], 42);
});

test('skipUpTo and takeViews move over bulk data without copying', () => {
  const q = new ByteQueue();
  q.push(Buffer.from([1, 2, 3]));
  q.push(Buffer.from([4, 5, 6]));
  assert.equal(q.skipUpTo(2), 2);
  const views: Buffer[] = [];
  assert.equal(q.takeViews(10, views), 4);
  assert.deepEqual(views.map((v) => [...v]), [[3], [4, 5, 6]]);
  assert.equal(q.skipUpTo(5), 0);
});

test('marks survive a push between mark and rewind', () => {
  const q = new ByteQueue();
  q.push(Buffer.from([1]));
  const mark = q.mark();
  assert.throws(() => q.u16(), Truncated);
  q.rewind(mark);
  q.push(Buffer.from([2]));
  assert.equal(q.u16(), 0x0201);
});
