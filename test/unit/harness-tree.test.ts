// Test trees must come out exactly as described, the same every time, and
// big ones must not be made of one repeated block.
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { inTree, type TreePath } from '../harness/paths.js';
import {
  buildTree,
  defaultMtime,
  dir,
  file,
  hardlink,
  MiB,
  pseudoRandomBytes,
  pseudoRandomChunks,
  symlink,
} from '../harness/tree.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'relaysync-tree-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('pseudo-random contents depend on the seed only, not on how they are chunked', () => {
  const whole = pseudoRandomBytes('seed', 10_000);
  assert.deepEqual(Buffer.concat([...pseudoRandomChunks('seed', 10_000, 777)]), whole);
  assert.notDeepEqual(pseudoRandomBytes('other seed', 10_000), whole);
  assert.equal(whole.length, 10_000);
});

test('a file over 64 MiB has its exact size and no repeated or all-zero block', async (t) => {
  const root = await tempDir(t);
  const size = 64 * MiB + 12_345;
  await buildTree(root, [file('big.bin', { size, seed: 'big' })]);
  const contents = await readFile(path.join(root, 'big.bin'));
  assert.equal(contents.length, size);
  assert.deepEqual(contents.subarray(0, 4096), pseudoRandomBytes('big', 4096));
  const blocks = new Set<string>();
  for (let offset = 0; offset + 4096 <= size; offset += 4096) {
    blocks.add(contents.subarray(offset, offset + 4096).toString('base64'));
  }
  assert.equal(blocks.size, Math.floor(size / 4096));
  assert.equal(blocks.has(Buffer.alloc(4096).toString('base64')), false);
});

test('files without a seed get different contents per path', async (t) => {
  const root = await tempDir(t);
  await buildTree(root, [file('one', { size: 64 }), file('two', { size: 64 })]);
  assert.notDeepEqual(await readFile(path.join(root, 'one')), await readFile(path.join(root, 'two')));
});

test('modes, mtimes, links and implicit parents come out as described', async (t) => {
  const root = await tempDir(t);
  await buildTree(root, [
    dir('locked', { mode: 0o555, mtime: 1_600_000_000 }),
    file('locked/inside', { content: 'x', mode: 0o4755, mtime: 1_500_000_000.25 }),
    file('deep/er/leaf'),
    symlink('deep/link', '../locked/inside', { mtime: 1_400_000_000 }),
    hardlink('deep/er/twin', 'locked/inside'),
    file(Buffer.from([0x2d, 0xfe, 0x0a])),
  ]);
  const stats = (name: TreePath) => lstat(inTree(root, name), { bigint: true });
  const locked = await stats('locked');
  assert.equal(Number(locked.mode & 0o7777n), 0o555);
  assert.equal(locked.mtimeNs, 1_600_000_000_000_000_000n);
  const inside = await stats('locked/inside');
  assert.equal(Number(inside.mode & 0o7777n), 0o4755);
  assert.equal(inside.mtimeNs, 1_500_000_000_250_000_000n);
  assert.equal((await stats('deep/er/twin')).ino, inside.ino);
  const implicit = await stats('deep/er');
  assert.equal(Number(implicit.mode & 0o7777n), 0o755);
  assert.equal(implicit.mtimeNs, BigInt(defaultMtime) * 1_000_000_000n);
  assert.equal((await lstat(root, { bigint: true })).mtimeNs, BigInt(defaultMtime) * 1_000_000_000n);
  assert.equal((await stats('deep/link')).mtimeNs, 1_400_000_000_000_000_000n);
  assert.equal(await readlink(path.join(root, 'deep/link')), '../locked/inside');
  assert.equal((await stats(Buffer.from([0x2d, 0xfe, 0x0a]))).size, 0n);
});

test('paths that leave the tree are refused', async (t) => {
  const root = await tempDir(t);
  for (const bad of ['../escape', '/absolute', 'a//b', 'a/./b', 'trailing/', '']) {
    await assert.rejects(buildTree(root, [file(bad)]), /not a relative path inside the tree/, bad);
  }
});
