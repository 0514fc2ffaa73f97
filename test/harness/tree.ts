// Test trees described as data: every kind of entry relaysync must carry
// unchanged, with deterministic contents and times, so two builds of one
// description are identical down to the mtime nanoseconds.
import { createCipheriv, createHash } from 'node:crypto';
import { chmod, lchown, link, lutimes, mkdir, open, symlink as createSymlink, utimes } from 'node:fs/promises';
import { ancestors, inTree, pathBytes, type TreePath } from './paths.js';

export const MiB = 1024 * 1024;

/** Seconds since the epoch (fractions allowed) or a Date. */
export type Mtime = number | Date;

/** The mtime of every file, link and directory whose description gives none: 2023-11-14. */
export const defaultMtime = 1_700_000_000;

export interface Attributes {
  mtime?: Mtime;
  uid?: number;
  gid?: number;
}

export interface FileOptions extends Attributes {
  /** Exact contents. Without content or size the file is empty. */
  content?: string | Buffer;
  /** Pseudo-random contents of this many bytes, written in chunks so any size is cheap. */
  size?: number;
  /** Chooses the pseudo-random contents; defaults to the path, so files differ from each other. */
  seed?: string;
  mode?: number;
}

export interface DirOptions extends Attributes {
  mode?: number;
}

export type TreeEntry =
  | ({ kind: 'file'; path: TreePath } & FileOptions)
  | ({ kind: 'dir'; path: TreePath } & DirOptions)
  | ({ kind: 'symlink'; path: TreePath; target: TreePath } & Attributes)
  /** Another name for the file at `target`, which shares its inode and so its attributes. */
  | { kind: 'hardlink'; path: TreePath; target: TreePath };

export const file = (path: TreePath, options: FileOptions = {}): TreeEntry => ({ kind: 'file', path, ...options });
export const dir = (path: TreePath, options: DirOptions = {}): TreeEntry => ({ kind: 'dir', path, ...options });
/** `target` is stored as given: relative, absolute or dangling. */
export const symlink = (path: TreePath, target: TreePath, options: Attributes = {}): TreeEntry => ({
  kind: 'symlink',
  path,
  target,
  ...options,
});
export const hardlink = (path: TreePath, target: TreePath): TreeEntry => ({ kind: 'hardlink', path, target });

/**
 * Creates `entries` under `root`, parents first as needed. Every directory in
 * the tree ends with its described mode and mtime or the defaults (0755,
 * `defaultMtime`); `root` keeps its mode and gets the default mtime.
 */
export async function buildTree(root: string, entries: readonly TreeEntry[]): Promise<void> {
  await mkdir(root, { recursive: true });
  // Keyed by the latin1 form of the path, which maps bytes to characters one to one.
  const dirs = new Map<string, DirOptions>();
  for (const entry of entries) {
    for (const parent of ancestors(entry.path)) {
      const key = parent.toString('latin1');
      if (!dirs.has(key)) dirs.set(key, {});
      await mkdir(inTree(root, parent), { recursive: true });
    }
  }
  // Hard links go last: their targets must exist first.
  const ordered = [...entries.filter((e) => e.kind !== 'hardlink'), ...entries.filter((e) => e.kind === 'hardlink')];
  for (const entry of ordered) {
    const where = inTree(root, entry.path);
    switch (entry.kind) {
      case 'file':
        await writeContents(where, entry);
        await finish(where, entry, entry.mode ?? 0o644);
        break;
      case 'dir':
        await mkdir(where, { recursive: true });
        dirs.set(pathBytes(entry.path).toString('latin1'), entry);
        break;
      case 'symlink':
        await createSymlink(pathBytes(entry.target), where);
        await finish(where, entry, undefined);
        break;
      case 'hardlink':
        await link(inTree(root, entry.target), where);
        break;
    }
  }
  // Creating entries changes their directory's mtime, and a read-only mode
  // would stop the creating, so directories are finished last.
  for (const [key, options] of dirs) {
    await finish(inTree(root, Buffer.from(key, 'latin1')), options, options.mode ?? 0o755);
  }
  await utimes(root, defaultMtime, defaultMtime);
}

/** Owner before mode, since chown clears set-id bits; symlinks have no mode of their own. */
async function finish(where: Buffer, attributes: Attributes, mode: number | undefined): Promise<void> {
  if (attributes.uid !== undefined || attributes.gid !== undefined) {
    await lchown(where, attributes.uid ?? -1, attributes.gid ?? -1);
  }
  if (mode !== undefined) await chmod(where, mode);
  const mtime = attributes.mtime ?? defaultMtime;
  await lutimes(where, mtime, mtime);
}

async function writeContents(where: Buffer, entry: FileOptions & { path: TreePath }): Promise<void> {
  const handle = await open(where, 'w');
  try {
    if (entry.content !== undefined) {
      await handle.writeFile(entry.content);
    } else if (entry.size !== undefined) {
      for (const chunk of pseudoRandomChunks(entry.seed ?? pathBytes(entry.path).toString('latin1'), entry.size)) {
        await handle.write(chunk);
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * `size` bytes determined by `seed`: the AES-128-CTR keystream of a key
 * derived from it. Fast, never all zeros, and no block repeats, so rsync's
 * delta search finds no accidental matches inside one file.
 */
export function* pseudoRandomChunks(seed: string, size: number, chunkSize = MiB): Generator<Buffer> {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkSize);
  for (let left = size; left > 0; left -= chunkSize) {
    yield cipher.update(zeros.subarray(0, Math.min(chunkSize, left)));
  }
}

/** `size` pseudo-random bytes in memory, for small mutations. */
export function pseudoRandomBytes(seed: string, size: number): Buffer {
  return Buffer.concat([...pseudoRandomChunks(seed, size)]);
}
