// What a tree looks like after a transfer, entry by entry, and how two such
// snapshots differ: the oracle of the differential tests.
import { AssertionError } from 'node:assert';
import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { displayPath, inTree, pathBytes } from './paths.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device';

export interface EntryState {
  /** Relative to the tree's root; empty for the root itself. */
  readonly path: Buffer;
  readonly type: EntryType;
  /** Permission bits, set-id and sticky bits included. */
  readonly mode: number;
  readonly mtimeNs: bigint;
  readonly atimeNs: bigint;
  readonly uid: number;
  readonly gid: number;
  /** Regular files only: directory sizes depend on the filesystem. */
  readonly size?: bigint;
  /** sha256 of a regular file's contents. */
  readonly sha256?: string;
  readonly symlinkTarget?: Buffer;
  /** Devices only. */
  readonly rdev?: bigint;
  /** The first path, in byte order, of the group of names this entry shares its inode with inside the tree. */
  readonly hardLinkGroup?: Buffer;
}

/** Entries keyed by the latin1 form of their path, which maps bytes to characters one to one. */
export type Snapshot = ReadonlyMap<string, EntryState>;

export async function snapshot(root: string): Promise<Snapshot> {
  const entries = new Map<string, EntryState>();
  const inodes = new Map<string, Buffer[]>();
  const visit = async (relative: Buffer): Promise<void> => {
    const where = relative.length === 0 ? pathBytes(root) : inTree(root, relative);
    const stats = await lstat(where, { bigint: true });
    const type = entryType(stats);
    entries.set(relative.toString('latin1'), {
      path: relative,
      type,
      mode: Number(stats.mode & 0o7777n),
      mtimeNs: stats.mtimeNs,
      atimeNs: stats.atimeNs,
      uid: Number(stats.uid),
      gid: Number(stats.gid),
      ...(type === 'file' && { size: stats.size, sha256: await sha256(where) }),
      ...(type === 'symlink' && { symlinkTarget: await readlink(where, { encoding: 'buffer' }) }),
      ...((type === 'char-device' || type === 'block-device') && { rdev: stats.rdev }),
    });
    if (type === 'dir') {
      for (const name of await readdir(where, { encoding: 'buffer' })) {
        await visit(relative.length === 0 ? name : Buffer.concat([relative, Buffer.from('/'), name]));
      }
    } else if (stats.nlink > 1n) {
      const inode = `${stats.dev}:${stats.ino}`;
      inodes.set(inode, [...(inodes.get(inode) ?? []), relative]);
    }
  };
  await visit(Buffer.alloc(0));
  for (const names of inodes.values()) {
    if (names.length < 2) continue;
    const first = names.reduce((a, b) => (Buffer.compare(a, b) <= 0 ? a : b));
    for (const name of names) {
      const key = name.toString('latin1');
      entries.set(key, { ...entries.get(key)!, hardLinkGroup: first });
    }
  }
  return entries;
}

function entryType(stats: BigIntStats): EntryType {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return stats.isCharacterDevice() ? 'char-device' : 'block-device';
}

async function sha256(file: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Attributes a comparison can leave out. `mtime` covers files, links and
 * devices, `dirMtime` directories; `subsecond` compares mtimes in whole
 * seconds (protocols below 31 carry no nanoseconds); `content` covers size,
 * data, symlink targets and device numbers.
 */
export type Attribute = 'mode' | 'mtime' | 'dirMtime' | 'subsecond' | 'owner' | 'content' | 'hardLinks';

export interface CompareOptions {
  readonly ignore?: readonly Attribute[];
  /** Access times of files, links and devices compare only when asked: reading a file changes its own. */
  readonly atimes?: boolean;
}

/** Every way `actual` differs from `expected`, one readable line each, in path order; empty when they match. */
export function compareSnapshots(expected: Snapshot, actual: Snapshot, options: CompareOptions = {}): string[] {
  const counts = (attribute: Attribute) => !options.ignore?.includes(attribute);
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort((a, b) =>
    Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')),
  );
  const differences: string[] = [];
  for (const key of keys) {
    const want = expected.get(key);
    const got = actual.get(key);
    if (want === undefined || got === undefined) {
      const only = (want ?? got)!;
      differences.push(`${displayPath(only.path)}: only in ${want ? 'expected' : 'actual'} (${only.type})`);
      continue;
    }
    const differ = (what: string, a: string, b: string) => {
      if (a !== b) differences.push(`${displayPath(want.path)}: ${what} ${a} ≠ ${b}`);
    };
    differ('type', want.type, got.type);
    if (want.type !== got.type) continue;
    if (counts('mode') && want.type !== 'symlink') differ('mode', octal(want.mode), octal(got.mode));
    if (counts(want.type === 'dir' ? 'dirMtime' : 'mtime')) {
      const shown = counts('subsecond') ? showNs : showSeconds;
      differ('mtime', shown(want.mtimeNs), shown(got.mtimeNs));
    }
    if (options.atimes && want.type !== 'dir') differ('atime', showSeconds(want.atimeNs), showSeconds(got.atimeNs));
    if (counts('owner')) differ('owner', `${want.uid}:${want.gid}`, `${got.uid}:${got.gid}`);
    if (counts('content')) {
      differ('size', String(want.size ?? '-'), String(got.size ?? '-'));
      if (want.size === got.size && want.sha256 !== got.sha256) {
        differences.push(`${displayPath(want.path)}: contents differ (same size)`);
      }
      differ('symlink target', showOptionalPath(want.symlinkTarget), showOptionalPath(got.symlinkTarget));
      differ('device', String(want.rdev ?? '-'), String(got.rdev ?? '-'));
    }
    if (counts('hardLinks')) {
      differ('hard-link group', showOptionalPath(want.hardLinkGroup), showOptionalPath(got.hardLinkGroup));
    }
  }
  return differences;
}

/** Fails with the list of differences when the tree at `actual` does not match the one at `expected`. */
export async function assertSameTree(expected: string, actual: string, options: CompareOptions = {}): Promise<void> {
  const differences = compareSnapshots(await snapshot(expected), await snapshot(actual), options);
  if (differences.length > 0) {
    throw new AssertionError({
      message: `${actual} differs from ${expected}:\n  ${differences.join('\n  ')}`,
      operator: 'assertSameTree',
    });
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;
const showOptionalPath = (path: Buffer | undefined) => (path === undefined ? 'none' : displayPath(path));
const nsPerSecond = 1_000_000_000n;

/** Whole seconds rounded down and the nanoseconds past them, also before 1970. */
function splitNs(ns: bigint): [bigint, bigint] {
  const fraction = ((ns % nsPerSecond) + nsPerSecond) % nsPerSecond;
  return [(ns - fraction) / nsPerSecond, fraction];
}

const showSeconds = (ns: bigint) => new Date(Number(splitNs(ns)[0]) * 1000).toISOString().replace('.000Z', 'Z');
const showNs = (ns: bigint) => showSeconds(ns).replace('Z', `.${String(splitNs(ns)[1]).padStart(9, '0')}Z`);
