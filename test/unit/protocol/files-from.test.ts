import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilesFromEncoder, FilesFromList } from '../../../src/protocol/files-from.js';

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

test('comment lines are dropped, split across chunks too, with or without --from0', () => {
  const lines = new FilesFromEncoder(false);
  const out = Buffer.concat([lines.push(Buffer.from('# a comment\na#b\n; another')), lines.push(Buffer.from(' one\r\n;\nc\n')), lines.end()]);
  assert.deepEqual(out, Buffer.from('a#b\0c\0\0'));
  const nuls = new FilesFromEncoder(true);
  assert.deepEqual(Buffer.concat([nuls.push(Buffer.from('#x\ny\0z\0;w\0')), nuls.end()]), Buffer.from('z\0\0'));
});

test('an empty list is one NUL', () => {
  assert.deepEqual(new FilesFromEncoder(false).end(), Buffer.from([0]));
});

test('the end of a list is found across chunks', () => {
  const list = new FilesFromList();
  assert.deepEqual(list.split(Buffer.from('ab\0c')), { names: Buffer.from('ab\0c'), rest: Buffer.alloc(0) });
  assert.equal(list.ended, false);
  assert.deepEqual(list.split(Buffer.from('\0\0rest')), { names: Buffer.from('\0\0'), rest: Buffer.from('rest') });
  assert.equal(list.ended, true);
  assert.deepEqual(list.split(Buffer.from('more')), { names: Buffer.alloc(0), rest: Buffer.from('more') });
  assert.deepEqual(new FilesFromList().split(Buffer.from('\0rest')), { names: Buffer.from('\0'), rest: Buffer.from('rest') });
});
