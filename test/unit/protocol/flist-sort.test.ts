import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFileNames } from '../../../src/protocol/flist-sort.js';

// The order rsync 3.5.0 lists this tree in (rsync -rvn --no-i-r, protocols 29-32):
// files before subdirectories in each directory, "." first.
const RSYNC_ORDER = ['.', '.hidden', 'Z', 'a0', 'b', 'zz', 'A/', 'A/f', 'a-b/', 'a-b/f', 'a.b/', 'a.b/f', 'a/', 'a/x', 'a/z', 'a/b/', 'a/b/y', 'a/c/', 'a/c/d', 'ab/', 'ab/f', 'z z/', 'z z/q'];

function sortNames(names: string[], protocol: number): string[] {
  const items = names.map((n) => ({ text: n, name: Buffer.from(n.replace(/\/$/, '')), dir: n.endsWith('/') || n === '.' }));
  return items
    .reverse()
    .sort((x, y) => compareFileNames(x.name, 0, x.name.length, x.dir, y.name, 0, y.name.length, y.dir, protocol))
    .map((x) => x.text);
}

test('protocol 29+: sorts as rsync does', () => {
  assert.deepEqual(sortNames(RSYNC_ORDER, 31), RSYNC_ORDER);
  assert.deepEqual(sortNames(RSYNC_ORDER, 29), RSYNC_ORDER);
});

test('before protocol 29 names compare as plain bytes', () => {
  const sorted = sortNames(RSYNC_ORDER, 28).map((n) => n.replace(/\/$/, ''));
  assert.deepEqual(sorted, [...sorted].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
});

test('bytes above 0x7f sort after ASCII, as unsigned bytes', () => {
  const both = Buffer.from([0x7a, 0xc3, 0xa9]); // "z" then "é", compared as ranges of one buffer
  assert.ok(compareFileNames(both, 1, 3, false, both, 0, 1, false, 31) > 0);
});
