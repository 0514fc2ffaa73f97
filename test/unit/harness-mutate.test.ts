// Mutations must change exactly what they say, set the file's mtime as asked,
// and leave the directories around them untouched, so delta tests reproduce.
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { add, append, overwrite, remove, rename, truncate } from '../harness/mutate.js';
import { buildTree, defaultMtime, dir, file } from '../harness/tree.js';

const odd = 1_650_000_000.123456;
const oddNs = 1_650_000_000_123_456_000n;

async function tree(t: TestContext): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'relaysync-mutate-test-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await buildTree(root, [
    file('sub/f', { content: '0123456789', mtime: odd }),
    dir('sub/inner', { mtime: odd }),
    dir('other', { mtime: odd - 1 }),
  ]);
  return root;
}

const mtimeNs = async (root: string, name = '') => (await lstat(path.join(root, name), { bigint: true })).mtimeNs;

test('overwrite changes bytes in place and moves the mtime one second on', async (t) => {
  const root = await tree(t);
  await overwrite(root, 'sub/f', 3, 'abc');
  assert.equal(await readFile(path.join(root, 'sub/f'), 'utf8'), '012abc6789');
  assert.equal(await mtimeNs(root, 'sub/f'), oddNs + 1_000_000_000n);
});

test('a content change can keep the exact mtime or set a given one', async (t) => {
  const root = await tree(t);
  await overwrite(root, 'sub/f', 0, 'X', { mtime: 'keep' });
  assert.equal(await mtimeNs(root, 'sub/f'), oddNs);
  await append(root, 'sub/f', 'tail', { mtime: defaultMtime });
  assert.equal(await mtimeNs(root, 'sub/f'), BigInt(defaultMtime) * 1_000_000_000n);
});

test('append and truncate change the size', async (t) => {
  const root = await tree(t);
  await append(root, 'sub/f', '++');
  assert.equal(await readFile(path.join(root, 'sub/f'), 'utf8'), '0123456789++');
  await truncate(root, 'sub/f', 4);
  assert.equal(await readFile(path.join(root, 'sub/f'), 'utf8'), '0123');
});

test('remove, rename and add leave the mtimes of existing directories alone', async (t) => {
  const root = await tree(t);
  const before = await Promise.all(['', 'sub', 'other'].map((name) => mtimeNs(root, name)));
  await rename(root, 'sub/f', 'other/g');
  await remove(root, 'sub/inner');
  await add(root, [file('sub/new/h', { content: 'h' }), file('top')]);
  assert.deepEqual(await Promise.all(['', 'sub', 'other'].map((name) => mtimeNs(root, name))), before);
  assert.equal(await readFile(path.join(root, 'other/g'), 'utf8'), '0123456789');
  await assert.rejects(lstat(path.join(root, 'sub/inner')), { code: 'ENOENT' });
  assert.equal(await mtimeNs(root, 'sub/new'), BigInt(defaultMtime) * 1_000_000_000n);
});
