// The differential tests' oracle must notice every difference that matters,
// say where it is readably, and leave out exactly what it is told to.
import assert from 'node:assert/strict';
import {
  chmod,
  lchown,
  link,
  lutimes,
  mkdtemp,
  rm,
  symlink as createSymlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { displayPath } from '../harness/paths.js';
import { compareSnapshots, snapshot, type Attribute } from '../harness/snapshot.js';
import { buildTree, defaultMtime, dir, file, hardlink, symlink, type TreeEntry } from '../harness/tree.js';

const notUtf8 = Buffer.from([0x6e, 0x6f, 0x74, 0xff, 0x75, 0x74, 0x66, 0x38]);

const everyKind: TreeEntry[] = [
  file('a.txt', { content: 'alpha\n', mode: 0o640 }),
  file('sub/b.bin', { size: 4096 }),
  file('new\nline'),
  file(Buffer.concat([Buffer.from('sub/'), notUtf8])),
  symlink('link', 'a.txt'),
  symlink('dangling', 'nowhere'),
  hardlink('sub/a-again', 'a.txt'),
  dir('empty', { mode: 0o700, mtime: defaultMtime - 60 }),
];

async function twoTrees(t: TestContext, entries: TreeEntry[] = everyKind): Promise<[string, string]> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'relaysync-snapshot-test-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const trees: [string, string] = [path.join(base, 'expected'), path.join(base, 'actual')];
  for (const tree of trees) await buildTree(tree, entries);
  return trees;
}

test('two builds of one description have equal snapshots', async (t) => {
  const [expected, actual] = await twoTrees(t);
  assert.deepEqual(compareSnapshots(await snapshot(expected), await snapshot(actual)), []);
});

test('a snapshot records names as bytes, link targets and hard-link groups', async (t) => {
  const [tree] = await twoTrees(t);
  const entries = await snapshot(tree);
  const entry = (name: string | Buffer) => entries.get(Buffer.from(name).toString('latin1'));
  assert.equal(entry(Buffer.concat([Buffer.from('sub/'), notUtf8]))?.type, 'file');
  assert.deepEqual(entry('dangling')?.symlinkTarget, Buffer.from('nowhere'));
  assert.deepEqual(entry('a.txt')?.hardLinkGroup, Buffer.from('a.txt'));
  assert.deepEqual(entry('sub/a-again')?.hardLinkGroup, Buffer.from('a.txt'));
  assert.equal(entry('sub/b.bin')?.hardLinkGroup, undefined);
  assert.equal(entry('a.txt')?.mode, 0o640);
  assert.equal(entry('empty')?.mtimeNs, BigInt(defaultMtime - 60) * 1_000_000_000n);
  assert.equal(entry('')?.type, 'dir');
});

test('every kind of difference is reported, one readable line each, in path order', async (t) => {
  const [expected, actual] = await twoTrees(t);
  const at = (name: string | Buffer) => Buffer.concat([Buffer.from(`${actual}/`), Buffer.from(name)]);
  await chmod(at('a.txt'), 0o600);
  await writeFile(at('sub/b.bin'), Buffer.alloc(4096));
  await utimes(at('sub/b.bin'), defaultMtime, defaultMtime);
  await writeFile(at('new\nline'), 'grown');
  await utimes(at('new\nline'), defaultMtime, defaultMtime);
  await utimes(at(Buffer.concat([Buffer.from('sub/'), notUtf8])), defaultMtime + 0.5, defaultMtime + 0.5);
  await unlink(at('link'));
  await createSymlink('sub/b.bin', at('link'));
  await lutimes(at('link'), defaultMtime, defaultMtime);
  await utimes(at('empty'), defaultMtime, defaultMtime);
  await unlink(at('sub/a-again'));
  await writeFile(at('sub/a-again'), 'alpha\n', { mode: 0o640 });
  await utimes(at('sub/a-again'), defaultMtime, defaultMtime);
  await chmod(at('sub/a-again'), 0o640);
  await unlink(at('dangling'));
  await writeFile(at('extra'), '');
  await utimes(at(''), defaultMtime, defaultMtime);
  await utimes(at('sub'), defaultMtime, defaultMtime);

  assert.deepEqual(compareSnapshots(await snapshot(expected), await snapshot(actual)), [
    '"a.txt": mode 0640 ≠ 0600',
    '"a.txt": hard-link group "a.txt" ≠ none',
    '"dangling": only in expected (symlink)',
    '"empty": mtime 2023-11-14T22:12:20.000000000Z ≠ 2023-11-14T22:13:20.000000000Z',
    '"extra": only in actual (file)',
    '"link": symlink target "a.txt" ≠ "sub/b.bin"',
    '"new\\nline": size 0 ≠ 5',
    '"sub/a-again": hard-link group "a.txt" ≠ none',
    '"sub/b.bin": contents differ (same size)',
    '"sub/not\\xffutf8": mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:20.500000000Z',
  ]);
});

test('a symlink that replaces a file is a type difference, and nothing else about it is listed', async (t) => {
  const [expected, actual] = await twoTrees(t, [file('x', { content: 'data' })]);
  await unlink(path.join(actual, 'x'));
  await createSymlink('elsewhere', path.join(actual, 'x'));
  await utimes(actual, defaultMtime, defaultMtime);
  assert.deepEqual(compareSnapshots(await snapshot(expected), await snapshot(actual)), ['"x": type file ≠ symlink']);
});

test('ignored attributes are not compared', async (t) => {
  const [expected, actual] = await twoTrees(t, [file('f', { content: 'one' }), dir('d'), file('g'), file('h')]);
  const inActual = (name: string) => path.join(actual, name);
  await chmod(inActual('f'), 0o600);
  await utimes(inActual('f'), defaultMtime + 7, defaultMtime + 7);
  await utimes(inActual('g'), defaultMtime + 0.25, defaultMtime + 0.25);
  await writeFile(inActual('h'), 'now not empty');
  await utimes(inActual('h'), defaultMtime, defaultMtime);
  await link(inActual('h'), inActual('d/h2'));
  await rm(path.join(expected, 'd'), { recursive: true });
  await link(path.join(expected, 'h'), path.join(expected, 'd2'));
  await utimes(expected, defaultMtime, defaultMtime);
  await utimes(actual, defaultMtime + 1, defaultMtime + 1);
  const [want, got] = [await snapshot(expected), await snapshot(actual)];
  const lines = (ignore: Attribute[]) => compareSnapshots(want, got, { ignore });

  assert.deepEqual(lines([]), [
    '.: mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:21.000000000Z',
    '"d": only in actual (dir)',
    '"d/h2": only in actual (file)',
    '"d2": only in expected (file)',
    '"f": mode 0644 ≠ 0600',
    '"f": mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:27.000000000Z',
    '"g": mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:20.250000000Z',
    '"h": size 0 ≠ 13',
    '"h": hard-link group "d2" ≠ "d/h2"',
  ]);
  assert.deepEqual(lines(['mode', 'mtime', 'dirMtime', 'content', 'hardLinks']), [
    '"d": only in actual (dir)',
    '"d/h2": only in actual (file)',
    '"d2": only in expected (file)',
  ]);
  assert.deepEqual(
    lines(['subsecond']).filter((line) => line.includes('mtime')),
    [
      '.: mtime 2023-11-14T22:13:20Z ≠ 2023-11-14T22:13:21Z',
      '"f": mtime 2023-11-14T22:13:20Z ≠ 2023-11-14T22:13:27Z',
    ],
  );
  assert.deepEqual(
    lines(['dirMtime']).filter((line) => line.includes('mtime')),
    [
      '"f": mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:27.000000000Z',
      '"g": mtime 2023-11-14T22:13:20.000000000Z ≠ 2023-11-14T22:13:20.250000000Z',
    ],
  );
});

const notRoot = process.getuid?.() !== 0 && 'changing owners needs root';

test('ownership counts unless ignored', { skip: notRoot }, async (t) => {
  const [expected, actual] = await twoTrees(t, [file('f', { uid: 0, gid: 0 }), symlink('l', 'f', { uid: 1, gid: 2 })]);
  await lchown(path.join(actual, 'f'), 1234, 5678);
  const [want, got] = [await snapshot(expected), await snapshot(actual)];
  assert.equal(want.get('l')?.uid, 1);
  assert.deepEqual(compareSnapshots(want, got), ['"f": owner 0:0 ≠ 1234:5678']);
  assert.deepEqual(compareSnapshots(want, got, { ignore: ['owner'] }), []);
});

test('paths are shown readably whatever their bytes', () => {
  assert.equal(displayPath(''), '.');
  assert.equal(displayPath('sub dir/-x'), '"sub dir/-x"');
  assert.equal(displayPath('new\nline'), '"new\\nline"');
  assert.equal(displayPath('café'), '"café"');
  assert.equal(displayPath(Buffer.from([0x61, 0xff, 0x22, 0x0a])), '"a\\xff\\"\\x0a"');
});
