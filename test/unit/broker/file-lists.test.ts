import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileList, FileLists } from '../../../src/broker/file-lists.js';
import { S_IFDIR, S_IFREG } from '../../../src/protocol/constants.js';
import type { FileEntry } from '../../../src/protocol/flist-decoder.js';

const entry = (name: string | Buffer, mode = S_IFREG | 0o644, size = 0): FileEntry => ({
  name: Buffer.isBuffer(name) ? name : Buffer.from(name),
  mode,
  size,
  mtime: 1,
  uid: 0,
  gid: 0,
  linkTarget: undefined,
  hardLinkFirst: -1,
});

test('a list keeps what it is given, however large, and names the sorted index', () => {
  const list = new FileList(0, undefined, { owners: false, hardLinks: false, unsorted: false });
  const long = Buffer.alloc(4000, 0x61);
  const names = ['z', '.', 'sub', 'a', long.toString(), ...Array.from({ length: 40_000 }, (_, i) => `sub/f${i}`)];
  for (const n of names) list.add(entry(n, n === '.' || n === 'sub' ? S_IFDIR | 0o755 : S_IFREG | 0o644, n.length));
  assert.equal(list.count, names.length);
  assert.deepEqual(list.received(4).name, long);
  const dirs = list.finish(31);
  assert.deepEqual(dirs.map((d) => d.name.toString()), ['.', 'sub']);
  assert.equal(list.get(0)!.name.toString(), '.');
  assert.equal(list.get(1)!.name.toString(), 'a');
  assert.equal(list.get(names.length - 1)!.name.toString(), 'sub/f9999');
  assert.equal(list.get(names.length), undefined);
});

test('incremental lists: each starts one past the previous end, and the index before names its directory', () => {
  const lists = new FileLists(true, { owners: false, hardLinks: false, unsorted: false });
  const first = lists.begin();
  for (const n of ['.', 'd']) first.add(entry(n, S_IFDIR | 0o755));
  lists.finish(first, 31);
  assert.equal(first.ndxStart, 1);
  assert.equal(lists.get(0)!.name.toString(), '.');
  const second = lists.begin(1);
  second.add(entry('d/x'));
  lists.finish(second, 31);
  assert.equal(second.ndxStart, 4);
  assert.equal(lists.get(3)!.name.toString(), 'd');
  assert.equal(lists.get(4)!.name.toString(), 'd/x');
  lists.dropOldest();
  assert.equal(lists.get(1), undefined);
  assert.throws(() => lists.begin(9), /directory index 9/);
});

test('with --iconv indexes count entries in the order sent', () => {
  const list = new FileList(0, undefined, { owners: false, hardLinks: false, unsorted: true });
  for (const n of ['z', 'a', 'm']) list.add(entry(n));
  list.finish(31);
  assert.deepEqual([0, 1, 2].map((ndx) => list.get(ndx)!.name.toString()), ['z', 'a', 'm']);
});
