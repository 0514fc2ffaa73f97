// The delta phase's change: 1% of the source's non-empty files get 4 KiB
// rewritten in place in their middle, and an mtime one second later, so
// rsync's quick check sees them and its delta transfer sends little. The
// source is a tree of hard links to the cached dataset, so a changed file is
// first replaced by a copy of its own, and the cache keeps the old version,
// from which each run's destination is made.
import { chmod, copyFile, lstat, rename, utimes } from 'node:fs/promises';
import path from 'node:path';
import { overwrite } from '../test/harness/mutate.js';
import { pseudoRandomBytes } from '../test/harness/tree.js';
import type { DataFile } from './datasets.js';

const CHANGE_BYTES = 4096;

/** Every 100th non-empty file, in the dataset's order: at least one. */
export function filesToChange(files: readonly DataFile[]): DataFile[] {
  return files.filter((f) => f.size > 0).filter((_, i) => i % 100 === 0);
}

/** Changes `files` of `source` in place (see above); the cache they were linked to keeps the old contents. */
export async function changeFiles(source: string, files: readonly DataFile[]): Promise<void> {
  for (const f of files) {
    await keepingParentTime(path.join(source, f.path), async (where) => {
      const before = await lstat(where);
      const copy = `${where}.delta-copy`;
      await copyFile(where, copy);
      await chmod(copy, before.mode & 0o7777);
      await utimes(copy, before.atime, before.mtime);
      await rename(copy, where);
    });
    const length = Math.min(CHANGE_BYTES, f.size);
    await overwrite(source, f.path, Math.floor((f.size - length) / 2), pseudoRandomBytes(`delta:${f.path}`, length));
  }
}

/** Replacing a file changes its directory's mtime, which rsync would then copy: a change the phase is not about. */
async function keepingParentTime(where: string, change: (where: string) => Promise<void>): Promise<void> {
  const parent = await lstat(path.dirname(where));
  await change(where);
  await utimes(path.dirname(where), parent.atime, parent.mtime);
}
