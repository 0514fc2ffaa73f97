// The tree the demo relays, and the changes it makes before relaying again:
// a few text files, a directory of sources, an empty directory, and one
// large binary file of which a small part changes, so that the second relay
// shows rsync's delta transfer at work.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The large file, and which part of it changes. */
const BIG = { name: 'photos/big.raw', size: 4 * MiB, changedAt: 2 * MiB, changed: 64 * KiB };

const FILES: Readonly<Record<string, string | Buffer>> = {
  'README.txt': 'A sample tree made by `relaysync demo`. It goes from demo-a to demo-b through relaysync.\n',
  'notes.txt': 'Monday: first relay.\n',
  'old-draft.txt': 'This file is removed before the second relay; --delete removes it on demo-b too.\n',
  'src/main.c': '#include "util.h"\n\nint main(void) { return greet(); }\n',
  'src/util.c': '#include <stdio.h>\n#include "util.h"\n\nint greet(void) { return puts("hello") < 0; }\n',
  'src/util.h': 'int greet(void);\n',
};

/** Writes the sample tree under `root`; returns how many files and bytes it holds. */
export async function writeSampleTree(root: string): Promise<{ files: number; bytes: number }> {
  const contents: [string, string | Buffer][] = [...Object.entries(FILES), [BIG.name, randomBytes(BIG.size)]];
  for (const [name, content] of contents) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
    // A day old, so that a change made seconds after the first relay shows in the times too.
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    await utimes(path.join(root, name), yesterday, yesterday);
  }
  await mkdir(path.join(root, 'empty-dir'));
  return { files: contents.length, bytes: contents.reduce((sum, [, c]) => sum + Buffer.byteLength(c), 0) };
}

/** The changes made on the source before the second relay, as the demo tells them. */
export const CHANGES: readonly string[] = [
  'notes.txt: a line appended',
  `${BIG.name}: ${BIG.changed / KiB} KiB of its ${BIG.size / MiB} MiB rewritten in the middle`,
  'new-file.txt: new',
  'old-draft.txt: removed',
];

export async function changeSampleTree(root: string): Promise<void> {
  await appendFile(path.join(root, 'notes.txt'), 'Tuesday: a few files changed, relayed again.\n');
  const big = await open(path.join(root, BIG.name), 'r+');
  try {
    await big.write(randomBytes(BIG.changed), 0, BIG.changed, BIG.changedAt);
  } finally {
    await big.close();
  }
  await writeFile(path.join(root, 'new-file.txt'), 'Added before the second relay.\n');
  await rm(path.join(root, 'old-draft.txt'));
}
