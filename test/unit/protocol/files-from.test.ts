import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilesFromEncoder, filesFromEnd } from '../../../src/protocol/files-from.js';

test('lines become NUL-ended names, empty ones dropped, an empty name last', () => {
  const e = new FilesFromEncoder(false);
  const out = Buffer.concat([e.push(Buffer.from('\n\na/b\r\n\nc')), e.push(Buffer.from('d\n')), e.end()]);
  assert.deepEqual(out, Buffer.from('a/b\0cd\0\0'));
});

test('with --from0 newlines are part of names; an unended last name is ended', () => {
  const e = new FilesFromEncoder(true);
  const out = Buffer.concat([e.push(Buffer.from('x\ny\0\0z')), e.end()]);
  assert.deepEqual(out, Buffer.from('x\ny\0z\0\0'));
});

test('an empty list is one NUL', () => {
  assert.deepEqual(new FilesFromEncoder(false).end(), Buffer.from([0]));
});

test('the end of a list is found across chunks', () => {
  let state = filesFromEnd(Buffer.from('ab\0c'), true);
  assert.equal(state.end, -1);
  state = filesFromEnd(Buffer.from('\0\0rest'), state.atNameStart);
  assert.equal(state.end, 2);
  assert.equal(filesFromEnd(Buffer.from('\0rest'), true).end, 1);
});
