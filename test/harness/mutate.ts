// Changes to a built tree between two transfers, for delta and deletion tests.
// Every mutation is deterministic and leaves the mtimes of the directories
// around it as they were, so a failing run can be reproduced exactly.
import { lstat, open, rename as renameEntry, rm, truncate as truncateFile, utimes } from 'node:fs/promises';
import { ancestors, inTree, type TreePath } from './paths.js';
import { buildTree, type Mtime, type TreeEntry } from './tree.js';

export interface ContentChange {
  /**
   * The file's mtime afterwards. By default one second after the old one, so
   * rsync's quick check (size and mtime) sees the change; `keep` restores the
   * old one, to test what only a checksum comparison finds.
   */
  readonly mtime?: Mtime | 'keep';
}

/** Replaces bytes at `offset` in place; the size grows only if the new bytes run past the end. */
export async function overwrite(
  root: string,
  path: TreePath,
  offset: number,
  data: string | Buffer,
  options: ContentChange = {},
): Promise<void> {
  await changeContents(root, path, options, async (where) => {
    const handle = await open(where, 'r+');
    try {
      await handle.write(Buffer.from(data), 0, Buffer.byteLength(data), offset);
    } finally {
      await handle.close();
    }
  });
}

export async function append(
  root: string,
  path: TreePath,
  data: string | Buffer,
  options: ContentChange = {},
): Promise<void> {
  await changeContents(root, path, options, async (where) => {
    const handle = await open(where, 'a');
    try {
      await handle.write(Buffer.from(data));
    } finally {
      await handle.close();
    }
  });
}

/** Cuts the file to `size` bytes, or extends it with zeros. */
export async function truncate(root: string, path: TreePath, size: number, options: ContentChange = {}): Promise<void> {
  await changeContents(root, path, options, (where) => truncateFile(where, size));
}

/** Deletes an entry, a whole directory included. */
export async function remove(root: string, path: TreePath): Promise<void> {
  await keepingDirectoryTimes(root, [path], () => rm(inTree(root, path), { recursive: true }));
}

/** Adds entries described as for buildTree; directories it creates get the default mtime. */
export async function add(root: string, entries: readonly TreeEntry[]): Promise<void> {
  await keepingDirectoryTimes(
    root,
    entries.map((entry) => entry.path),
    () => buildTree(root, entries),
  );
}

/** Renames within the tree; the parent of `to` must exist. */
export async function rename(root: string, from: TreePath, to: TreePath): Promise<void> {
  await keepingDirectoryTimes(root, [from, to], () => renameEntry(inTree(root, from), inTree(root, to)));
}

async function changeContents(
  root: string,
  path: TreePath,
  options: ContentChange,
  change: (where: Buffer) => Promise<void>,
): Promise<void> {
  const where = inTree(root, path);
  const before = (await lstat(where, { bigint: true })).mtimeNs;
  await change(where);
  const mtime =
    options.mtime === 'keep'
      ? utimesSeconds(before)
      : (options.mtime ?? utimesSeconds(before + 1_000_000_000n));
  await utimes(where, mtime, mtime);
}

/** Runs `change`, then gives the root and the existing directories above `paths` their mtimes back. */
async function keepingDirectoryTimes(
  root: string,
  paths: readonly TreePath[],
  change: () => Promise<unknown>,
): Promise<void> {
  const directories = [Buffer.from(root), ...paths.flatMap((path) => ancestors(path).map((dir) => inTree(root, dir)))];
  const times = new Map<string, bigint>();
  for (const dir of directories) {
    const stats = await lstat(dir, { bigint: true }).catch(() => undefined);
    if (stats !== undefined) times.set(dir.toString('latin1'), stats.mtimeNs);
  }
  await change();
  for (const [dir, mtimeNs] of times) {
    const seconds = utimesSeconds(mtimeNs);
    await utimes(Buffer.from(dir, 'latin1'), seconds, seconds);
  }
}

/**
 * The number fs.utimes turns back into `ns`. Node sets times in whole
 * microseconds, truncating a double whose rounding error near today's dates
 * is about 120 ns; aiming half a microsecond in makes the result exact for
 * every mtime Node can set.
 */
function utimesSeconds(ns: bigint): number {
  const fraction = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return Number((ns - fraction) / 1_000_000_000n) + (Number(fraction) + 500) / 1e9;
}
