// The trees the relay tests transfer: one of every kind of entry and name
// relaysync must carry unchanged, the changes that make a second run a delta
// transfer, and the extra entries a --delete run must remove. Shared by the
// differential matrix, the SSH end-to-end tests and the interrupt tests.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import * as mutate from './mutate.js';
import { inTree } from './paths.js';
import { buildTree, defaultMtime, dir, file, hardlink, MiB, symlink, type TreeEntry } from './tree.js';

const exec = promisify(execFile);

/** A name that is not valid UTF-8 (latin-1 é), and a directory whose name is not either. */
export const latin1Name = Buffer.from('caf\xe9.txt', 'latin1');
export const latin1Dir = Buffer.from([0x64, 0x69, 0x72, 0x2d, 0xff, 0xfe]);

/** Where the large and medium files are: the changed-files step edits them in place. */
export const bigFile = 'big/huge.bin';
export const bigFileSize = 64 * MiB + 12_345;
export const mediumFile = 'medium.bin';
export const mediumFileSize = 3 * MiB + 17;

/**
 * The tree every relay test starts from: empty and ordinary files with
 * various modes, owners and mtimes (fractional, past 2038),
 * symlinks (relative, absolute, to a directory, dangling), a hard-link
 * group, empty directories, names with spaces, a newline, non-UTF-8 bytes
 * and leading dashes, nested directories; with `big`, a file over 64 MiB.
 */
export function standardTree(options: { big?: boolean } = {}): TreeEntry[] {
  return [
    file('plain.txt', { content: 'hello, relay\n', mode: 0o640 }),
    file('empty'),
    file('exec.sh', { content: '#!/bin/sh\necho hi\n', mode: 0o755 }),
    file('setuid-tool', { content: 'tool', mode: 0o4755 }),
    file('owned by 1234', { content: 'not root', uid: 1234, gid: 2345 }),
    file('daemon-owned', { content: 'daemon', uid: 1, gid: 1 }),
    file('append.log', { content: 'line 1\n' }),
    file(mediumFile, { size: mediumFileSize }),
    file('fractional-mtime', { content: 'f', mtime: 1_650_000_000.25 }),
    // Its mtime, before 1970, is set by buildStandardTree: Node's utimes takes a negative time for "now".
    file('before-1970', { content: 'old' }),
    file('after-2038', { content: 'future', mtime: 4_000_000_000 }),
    file('name with  spaces.txt', { content: 'spaces' }),
    file('new\nline', { content: 'newline in the name' }),
    file(latin1Name, { content: 'latin-1' }),
    file(Buffer.concat([latin1Dir, Buffer.from('/inner')]), { content: 'inside a non-UTF-8 directory' }),
    file('-leading-dash', { content: 'dash' }),
    file('--double-dash', { content: 'dashes' }),
    file('-dash dir/-e', { content: 'looks like an option' }),
    file('a/b/c/d/deep.txt', { content: 'deep' }),
    file('a/b/sibling', { size: 10_000 }),
    file('gone/one.txt', { content: 'removed later' }),
    file('gone/sub/two.txt', { content: 'removed later' }),
    file('gone-file.txt', { content: 'removed later' }),
    file('links/original', { content: 'shared inode' }),
    hardlink('links/twin', 'links/original'),
    hardlink('a/b/far-twin', 'links/original'),
    symlink('links/relative', 'original'),
    symlink('links/absolute', '/etc/hostname'),
    symlink('links/to-dir', '../a/b'),
    symlink('links/dangling', 'nowhere/at/all', { mtime: 1_500_000_000 }),
    symlink('links/gone-link', 'original'),
    dir('empty-dir', { mode: 0o700 }),
    dir('a/empty-nested', { mtime: 1_600_000_000 }),
    dir('sticky', { mode: 0o1777 }),
    ...(options.big ? [file(bigFile, { size: bigFileSize })] : []),
  ];
}

/**
 * Builds the standard tree at `root`, with a fifo and a character device
 * (for -D) in `specials/`, and `before-1970` dated 1969-12-20.
 */
export async function buildStandardTree(root: string, options: { big?: boolean } = {}): Promise<void> {
  await buildTree(root, [...standardTree(options), dir('specials')]);
  // Changing a file's times leaves its directory's mtime alone.
  await exec('touch', ['-h', '-d', '@-1000000', path.join(root, 'before-1970')]);
  const specials = path.join(root, 'specials');
  await exec('mkfifo', ['-m', '0640', path.join(specials, 'fifo')]);
  await exec('mknod', ['-m', '0600', path.join(specials, 'null'), 'c', '1', '3']);
  for (const name of ['fifo', 'null']) await exec('touch', ['-h', '-d', '@1600000000', path.join(specials, name)]);
  await utimes(specials, defaultMtime, defaultMtime);
}

/**
 * The standard tree's second version: bytes changed in place in the medium
 * (and big) file, so only a delta transfer is cheap; an append; a same-size
 * change with the old mtime, which only -c notices; a mode-only change;
 * removed files, a removed directory and a removed symlink; new entries.
 */
export async function changeStandardTree(root: string, options: { big?: boolean } = {}): Promise<void> {
  await mutate.overwrite(root, mediumFile, MiB + 7, Buffer.alloc(64, 0x5a));
  if (options.big) {
    await mutate.overwrite(root, bigFile, 10 * MiB + 3, 'changed in place');
    await mutate.overwrite(root, bigFile, 40 * MiB, Buffer.alloc(5000, 0x41), { mtime: 1_700_000_100 });
  }
  await mutate.append(root, 'append.log', 'line 2\n');
  await mutate.overwrite(root, 'plain.txt', 0, 'HELLO', { mtime: 'keep' });
  await exec('chmod', ['0700', inTree(root, 'exec.sh').toString()]);
  await mutate.remove(root, 'gone');
  await mutate.remove(root, 'gone-file.txt');
  await mutate.remove(root, 'links/gone-link');
  await mutate.add(root, [file('new-file.txt', { content: 'new' }), file('new-dir/inner.txt', { content: 'new inside' })]);
}

/** Entries only the destination has, which --delete must remove. */
export const destinationExtras: readonly TreeEntry[] = [
  file('extra.txt', { content: 'only on the destination' }),
  file('extra-dir/nested/x', { content: 'x' }),
  file('a/b/extra-deep', { content: 'deep extra' }),
  file(Buffer.from('extra-\xe9', 'latin1'), { content: 'non-UTF-8 extra' }),
  file('extra\nnewline', { content: 'newline in the name' }),
  symlink('extra link', 'plain.txt'),
  dir('extra-empty-dir'),
];

/** The `deleting ...` lines rsync prints for destinationExtras, as they appear in -v output. */
export const extraDeletionLines = [
  'deleting extra.txt',
  'deleting extra-dir/nested/x',
  'deleting extra-dir/',
  'deleting a/b/extra-deep',
  'deleting extra link',
  'deleting extra-\\#351',
  'deleting extra\\#012newline',
  'deleting extra-empty-dir/',
];

export async function addDestinationExtras(root: string): Promise<void> {
  await mutate.add(root, destinationExtras);
}

/** A fresh directory for one test, removed when the test ends. */
export async function scratchDir(t: TestContext | undefined, prefix: string): Promise<string> {
  const where = await mkdtemp(path.join(os.tmpdir(), `relaysync-${prefix}-`));
  t?.after(() => rm(where, { recursive: true, force: true }));
  return where;
}

/** An exact copy of a tree (modes, owners, nanosecond mtimes, hard links, specials), made without rsync. */
export async function copyTree(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await exec('cp', ['-a', '--', from, to]);
}
