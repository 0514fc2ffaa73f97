import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteQueue, Truncated } from '../../../src/protocol/byte-queue.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import {
  encodeVarint,
  encodeVarlong,
  encodeVstring,
  readLongint,
  readVarint,
  readVarlong,
  readVstring,
} from '../../../src/protocol/ints.js';

function queue(...bytes: number[]): ByteQueue {
  const q = new ByteQueue();
  q.push(Buffer.from(bytes));
  return q;
}

// Byte sequences worked out from write_varint()/write_varlong() in rsync's io.c.
const VARINTS: [number, number[]][] = [
  [0, [0x00]],
  [1, [0x01]],
  [0x7f, [0x7f]],
  [0x80, [0x80, 0x80]],
  [0x1ff, [0x81, 0xff]],
  [0x3fff, [0xbf, 0xff]],
  [0x4000, [0xc0, 0x00, 0x40]],
  [0x12345678, [0xf0, 0x78, 0x56, 0x34, 0x12]],
  [-1, [0xf0, 0xff, 0xff, 0xff, 0xff]],
];

test('varints encode as rsync writes them', () => {
  for (const [value, bytes] of VARINTS) assert.deepEqual([...encodeVarint(value)], bytes, `varint ${value}`);
});

test('varints decode back, including negative values', () => {
  for (const [value, bytes] of VARINTS) assert.equal(readVarint(queue(...bytes)), value, `varint ${value}`);
});

test('varlongs with a minimum width round-trip, including times before 1970', () => {
  const values = [0, 1, 0xffffff, 0x1000000, 1_700_000_000, 2 ** 40 + 5, -1, -86400, Number.MAX_SAFE_INTEGER];
  for (const min of [3, 4]) {
    for (const value of values) {
      const bytes = encodeVarlong(value, min);
      assert.ok(bytes.length >= min, `at least ${min} bytes for ${value}`);
      assert.equal(readVarlong(queue(...bytes), min), value, `varlong(${min}) ${value}`);
    }
  }
  // A file size of 300000 with min_bytes 3 (0x0493e0): three bytes, the top one in front.
  assert.deepEqual([...encodeVarlong(300000, 3)], [0x04, 0xe0, 0x93]);
});

test('longint: an int32, or -1 then a 64-bit value', () => {
  assert.equal(readLongint(queue(0x10, 0, 0, 0)), 16);
  assert.equal(readLongint(queue(0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00)), 2 ** 32);
});

test('vstrings carry one or two length bytes', () => {
  assert.deepEqual([...encodeVstring(Buffer.from('md5'))], [3, 0x6d, 0x64, 0x35]);
  const long = Buffer.alloc(300, 0x61);
  const encoded = encodeVstring(long);
  assert.deepEqual([...encoded.subarray(0, 2)], [0x81, 0x2c]);
  const q = new ByteQueue();
  q.push(encoded);
  assert.deepEqual(readVstring(q, 1000), long);
});

test('an over-long vstring is refused with the numbers in the message', () => {
  assert.throws(() => readVstring(queue(0x81, 0xff, 0, 0), 255), (e: Error) => e instanceof ProtocolError && /511 > 255/.test(e.message));
});

test('a value cut short throws Truncated, never a wrong value', () => {
  for (const [, bytes] of VARINTS.filter(([, b]) => b.length > 1)) {
    assert.throws(() => readVarint(queue(...bytes.slice(0, -1))), Truncated);
  }
  assert.throws(() => readVarlong(queue(0x01, 0x02), 3), Truncated);
  assert.throws(() => readVstring(queue(5, 0x61, 0x62), 255), Truncated);
});

test('a varint announcing more than four extra bytes is malformed', () => {
  assert.throws(() => readVarint(queue(0xf8, 1, 2, 3, 4, 5)), ProtocolError);
});
