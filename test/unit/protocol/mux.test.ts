import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MSG } from '../../../src/protocol/constants.js';
import { ProtocolError } from '../../../src/protocol/errors.js';
import { Demuxer, encodeFrameHeader, encodeMessage } from '../../../src/protocol/mux.js';

function collect(): { data: Buffer[]; messages: [number, string][]; demuxer: Demuxer } {
  const data: Buffer[] = [];
  const messages: [number, string][] = [];
  const demuxer = new Demuxer({ data: (p) => data.push(Buffer.from(p)), message: (t, p) => messages.push([t, p.toString()]) });
  return { data, messages, demuxer };
}

test('a frame header is (7 + tag) << 24 | length, little-endian', () => {
  assert.deepEqual([...encodeFrameHeader(MSG.DATA, 5)], [5, 0, 0, 7]);
  assert.deepEqual([...encodeFrameHeader(MSG.INFO, 0x10203)], [3, 2, 1, 9]);
});

test('data is handed on piece by piece, messages whole, whatever the chunking', () => {
  const stream = Buffer.concat([
    encodeMessage(MSG.DATA, Buffer.from('hello ')),
    encodeMessage(MSG.WARNING, Buffer.from('careful\n')),
    encodeMessage(MSG.DATA, Buffer.from('world')),
    encodeFrameHeader(MSG.DATA, 0),
  ]);
  for (let cut = 1; cut < stream.length; cut++) {
    const { data, messages, demuxer } = collect();
    demuxer.push(stream.subarray(0, cut));
    demuxer.push(stream.subarray(cut));
    assert.equal(Buffer.concat(data).toString(), 'hello world', `cut at ${cut}`);
    assert.deepEqual(messages, [[MSG.WARNING, 'careful\n']]);
    assert.ok(demuxer.atFrameBoundary);
    assert.equal(data.filter((d) => d.length === 0).length, 1, 'one keep-alive');
  }
});

test('a stream cut inside a frame is not at a boundary', () => {
  const { demuxer } = collect();
  demuxer.push(encodeMessage(MSG.DATA, Buffer.from('abcdef')).subarray(0, 6));
  assert.equal(demuxer.atFrameBoundary, false);
});

test('a header below the multiplexing base is garbage, reported as such', () => {
  const { demuxer } = collect();
  assert.throws(() => demuxer.push(Buffer.from([1, 2, 3, 4])), (e: Error) => e instanceof ProtocolError && /unexpected tag/.test(e.message));
});

test('text where frames belong reads as a huge message and is refused', () => {
  const { demuxer } = collect();
  assert.throws(() => demuxer.push(Buffer.from('Welcome to web04\n')), (e: Error) => e instanceof ProtocolError && /too long/.test(e.message));
});
