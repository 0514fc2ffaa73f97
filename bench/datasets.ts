// The trees the bench copies, generated once into a cache directory and
// reused by later runs: a marker file written after generation says a tree
// is complete, and its name carries a hash of the tree's description, so a
// changed description makes a new tree rather than reusing a stale one.
// Contents are pseudo-random (incompressible, no accidental block matches)
// and fully written, except the scale suite's single files: those only
// measure relaysync's memory, so they are holes that cost no disk to make,
// which rsync still reads and sends byte by byte (it is not given --sparse).
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { access, mkdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTree, defaultMtime, dir, file, symlink, MiB, type TreeEntry } from '../test/harness/tree.js';

const KiB = 1024;
const GiB = 1024 * MiB;

/** A regular file of a dataset, by its path inside the tree. */
export interface DataFile {
  readonly path: string;
  readonly size: number;
}

export interface Dataset {
  readonly description: string;
  /** The generated tree in the cache: never written to once complete. */
  readonly root: string;
  readonly files: readonly DataFile[];
  /** Everything rsync lists: files, directories (the root too) and symlinks. */
  readonly entries: number;
  readonly bytes: number;
}

export type TreeName = 'small' | 'large' | 'mixed';
export type ScaleName = 'entries-100k' | 'entries-1m' | 'file-1m' | 'file-8g';

interface Spec {
  readonly key: string;
  readonly description: string;
  /** Entries for buildTree; the scale trees have writers of their own: many empty files, or one hole. */
  readonly tree: TreeEntry[] | { dirs: number; filesPerDir: number } | { hole: string; size: number };
}

/** Uniform sizes in [0, max] from a fixed seed (mulberry32): the same tree on every machine. */
function sizes(seed: number, count: number, min: number, max: number): number[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () => min + Math.floor(next() * (max - min + 1)));
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function smallFiles(count: number): Spec {
  const perDir = 100;
  const entries = sizes(1, count, 0, 64 * KiB).map((size, i) => file(`d${pad(Math.floor(i / perDir), 3)}/f${pad(i, 5)}.bin`, { size }));
  return { key: `small-${count}`, description: `${count.toLocaleString('en')} files of 0-64 KiB (uniform), ${perDir} per directory`, tree: entries };
}

function largeFiles(count: number, size: number): Spec {
  const entries = Array.from({ length: count }, (_, i) => file(`big${i}.bin`, { size }));
  return { key: `large-${count}x${size}`, description: `${count} files of ${formatSize(size)}`, tree: entries };
}

/** Many small files, a few hundred medium ones, two large, symlinks and empty directories: a typical /srv tree. */
function mixedTree(scale: { small: number; medium: number; large: number; largeSize: number; links: number; emptyDirs: number }): Spec {
  const entries: TreeEntry[] = [];
  sizes(2, scale.small, 0, 16 * KiB).forEach((size, i) => entries.push(file(`src/m${pad(i % 40, 2)}/s${pad(i % 7, 1)}/f${pad(i, 5)}.txt`, { size })));
  sizes(3, scale.medium, 256 * KiB, 2 * MiB).forEach((size, i) => entries.push(file(`media/${pad(i % 10, 1)}/img${pad(i, 4)}.jpg`, { size })));
  for (let i = 0; i < scale.large; i++) entries.push(file(`db/table${i}.db`, { size: scale.largeSize }));
  // Links point at files of the tree, so scp (which follows links) copies them too.
  for (let i = 0; i < scale.links; i++) entries.push(symlink(`links/l${pad(i, 3)}`, `../src/m${pad(i % 40, 2)}/s${pad(i % 7, 1)}/f${pad(i, 5)}.txt`));
  for (let i = 0; i < scale.emptyDirs; i++) entries.push(dir(`empty/e${pad(i, 2)}`));
  const s = scale;
  return {
    key: `mixed-${s.small}-${s.medium}-${s.large}x${s.largeSize}-${s.links}-${s.emptyDirs}`,
    description: `${s.small} files of 0-16 KiB, ${s.medium} of 256 KiB-2 MiB, ${s.large} of ${formatSize(s.largeSize)}, ${s.links} symlinks, ${s.emptyDirs} empty directories`,
    tree: entries,
  };
}

function entriesTree(dirs: number, filesPerDir: number): Spec {
  return {
    key: `entries-${dirs}x${filesPerDir}`,
    description: `${dirs.toLocaleString('en')} directories of ${filesPerDir.toLocaleString('en')} files; every 100th file 1 KiB, the rest empty`,
    tree: { dirs, filesPerDir },
  };
}

function singleHole(size: number): Spec {
  return { key: `hole-${size}`, description: `one file of ${formatSize(size)}, a hole (reads as zeros)`, tree: { hole: 'one.bin', size } };
}

export function treeSpec(name: TreeName, smoke: boolean): Spec {
  switch (name) {
    case 'small':
      return smallFiles(smoke ? 30 : 20_000);
    case 'large':
      return smoke ? largeFiles(2, MiB) : largeFiles(3, GiB);
    case 'mixed':
      return smoke
        ? mixedTree({ small: 40, medium: 4, large: 1, largeSize: MiB, links: 5, emptyDirs: 2 })
        : mixedTree({ small: 4000, medium: 300, large: 2, largeSize: 64 * MiB, links: 100, emptyDirs: 20 });
  }
}

export function scaleSpec(name: ScaleName, smoke: boolean): Spec {
  switch (name) {
    case 'entries-100k':
      return smoke ? entriesTree(10, 100) : entriesTree(100, 1000);
    case 'entries-1m':
      return smoke ? entriesTree(20, 100) : entriesTree(1000, 1000);
    case 'file-1m':
      return singleHole(MiB);
    case 'file-8g':
      return singleHole(smoke ? 4 * MiB : 8 * GiB);
  }
}

/** The dataset in the cache under `dataDir`, generated first if it is not there yet. */
export async function prepareDataset(spec: Spec, dataDir: string, say: (text: string) => void): Promise<Dataset> {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
  const root = path.join(dataDir, `${spec.key}-${hash}`);
  const marker = `${root}.complete`;
  const layout = describe(spec);
  const complete = await access(marker).then(
    () => true,
    () => false,
  );
  if (!complete) {
    say(`generating ${spec.description} in ${root}`);
    await rm(root, { recursive: true, force: true });
    if (Array.isArray(spec.tree)) await buildTree(root, spec.tree);
    else if ('hole' in spec.tree) await writeHole(root, spec.tree.hole, spec.tree.size);
    else writeEntriesTree(root, spec.tree.dirs, spec.tree.filesPerDir);
    await writeFile(marker, `${spec.description}\n`);
  }
  return { description: spec.description, root, ...layout };
}

function describe(spec: Spec): Pick<Dataset, 'files' | 'entries' | 'bytes'> {
  if (!Array.isArray(spec.tree) && 'hole' in spec.tree) {
    const { hole, size } = spec.tree;
    return { files: [{ path: hole, size }], entries: 2, bytes: size };
  }
  if (!Array.isArray(spec.tree)) {
    const { dirs, filesPerDir } = spec.tree;
    const files: DataFile[] = [];
    for (let d = 0; d < dirs; d++) {
      for (let f = 0; f < filesPerDir; f++) files.push({ path: entriesPath(d, f), size: f % 100 === 0 ? KiB : 0 });
    }
    return { files, entries: 1 + dirs + files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) };
  }
  const files = spec.tree.flatMap((e) => (e.kind === 'file' ? [{ path: e.path as string, size: e.size ?? 0 }] : []));
  const dirs = new Set<string>();
  for (const e of spec.tree) {
    const parts = (e.path as string).split('/');
    for (let i = 1; i <= parts.length - (e.kind === 'dir' ? 0 : 1); i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const others = spec.tree.filter((e) => e.kind === 'symlink').length;
  return { files, entries: 1 + dirs.size + files.length + others, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

const entriesPath = (d: number, f: number): string => `d${pad(d, 4)}/f${pad(f, 4)}`;

/**
 * A million files through buildTree's per-file promises takes minutes;
 * synchronous calls make it a few seconds per hundred thousand.
 */
function writeEntriesTree(root: string, dirs: number, filesPerDir: number): void {
  const kib = Buffer.alloc(KiB, 0x61);
  for (let d = 0; d < dirs; d++) {
    mkdirSync(path.join(root, `d${pad(d, 4)}`), { recursive: true });
    for (let f = 0; f < filesPerDir; f++) {
      const fd = openSync(path.join(root, entriesPath(d, f)), 'w');
      if (f % 100 === 0) writeSync(fd, kib);
      closeSync(fd);
    }
  }
}

/** A file of `size` bytes that is all hole, with the trees' usual mtime. */
async function writeHole(root: string, name: string, size: number): Promise<void> {
  await mkdir(root, { recursive: true });
  const where = path.join(root, name);
  await writeFile(where, '');
  await truncate(where, size);
  await utimes(where, defaultMtime, defaultMtime);
  await utimes(root, defaultMtime, defaultMtime);
}

export function formatSize(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(0)} MiB`;
  return `${Math.round(bytes / KiB)} KiB`;
}
