import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteQueue } from '../../../src/protocol/byte-queue.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { encodeInt } from '../../../src/protocol/ints.js';
import { TokenScanner } from '../../../src/protocol/tokens.js';

const blocks = { count: 10, blockLength: 700, remainder: 300 };

function scanInPieces(stream: Buffer, compressed: boolean, piece: number): TokenScanner {
  const scanner = new TokenScanner(compressed, blocks);
  const q = new ByteQueue();
  let done = false;
  for (let i = 0; i < stream.length; i += piece) {
    assert.equal(done, false, 'no end before the last byte');
    q.push(stream.subarray(i, i + piece));
    done = scanner.scan(q);
  }
  assert.equal(done, true);
  assert.equal(q.available, 0);
  return scanner;
}

test('plain tokens: literal runs, block matches (the last block is short), end', () => {
  const stream = Buffer.concat([encodeInt(5), Buffer.from('abcde'), encodeInt(-1), encodeInt(-10), encodeInt(3), Buffer.from('xyz'), encodeInt(0)]);
  for (const piece of [1, 3, 7, stream.length]) {
    const s = scanInPieces(stream, false, piece);
    assert.equal(s.literalBytes, 8);
    assert.equal(s.matchedBytes, 700 + 300);
  }
});

test('compressed tokens: data frames, relative and absolute tokens, runs', () => {
  const stream = Buffer.from([
    0x40 | 0x00, 3, 1, 2, 3, // DEFLATED_DATA, 3 bytes
    0x80 | 2, // TOKEN_REL: block 0 + 2 = 2
    0xc0 | 1, 2, 0, // TOKENRUN_REL: block 3, run of 2 more (3, 4, 5)
    0x21, 9, 0, 0, 0, 0, 0, // TOKENRUN_LONG: block 9, no run... (run count 0 means one token)
    0x00, // END
  ]);
  const s = scanInPieces(stream, true, 2);
  assert.equal(s.literalBytes, 3);
  assert.equal(s.matchedBytes, 700 * 4 + 300);
});

test('a token beyond the blocks the generator sent is refused', () => {
  const scanner = new TokenScanner(false, blocks);
  const q = new ByteQueue();
  q.push(encodeInt(-11));
  assert.throws(() => scanner.scan(q), ProtocolError);
});
