// Transfer-control options against plain rsync: rate, timeouts, block
// size, whole-file or delta, listings, allocation limit, dry runs.
import { lutimes, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { optionDifferential } from '../../harness/option-differential.js';

/**
 * UTF-8 names that latin1 can hold, a file and a symlink to it, dated in the
 * past: a time of now, cut to whole seconds by the protocol, could fall on
 * either side of when a run started.
 */
async function addAccentedNames(work: string): Promise<void> {
  const src = path.join(work, 'src');
  await writeFile(path.join(src, 'caf\u00e9.txt'), 'accented\n');
  await symlink('caf\u00e9.txt', path.join(src, 'link-\u00e0'));
  const past = new Date('2021-06-01T12:00:00Z');
  for (const name of ['caf\u00e9.txt', 'link-\u00e0', '.']) await lutimes(path.join(src, name), past, past);
}

optionDifferential('transfer', [
  { options: ['-av', '--bwlimit=20M', '--stats'], start: 'baseline' },
  { options: ['-av', '--timeout=60', '--contimeout=5'] },
  { options: ['-av', '-B', '2048', '--stats'], start: 'baseline' },
  { options: ['-av', '--no-whole-file', '--stats'], start: 'baseline' },
  { options: ['-av', '-W', '--stats'], start: 'baseline' },
  { options: ['-av', '--max-alloc=64M'] },
  { options: ['-av', '--max-alloc=1K'], about: 'too small for rsync to work with' },
  { options: ['-avn', '--delete', '--stats'] },
  { options: ['-avn', '--stats', '--link-dest=../old'], start: 'none' },
  { options: ['-av', '--iconv=utf8,latin1'], start: 'none', setup: addAccentedNames, about: 'names the source cannot convert fail alike' },
  { options: ['-a', '--iconv=utf8', '--stats'], start: 'baseline', setup: addAccentedNames },
]);
