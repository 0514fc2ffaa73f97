// Path options against plain rsync: what is sent and where it lands.
import { rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { optionDifferential } from '../../harness/option-differential.js';

optionDifferential('paths', [
  { options: ['-av', '-R'], sources: ['src/a/b', 'src/links'], start: 'none' },
  { options: ['-av', '-R', '--no-implied-dirs'], sources: ['src/./a/b', 'src/links/'], start: 'none', about: 'the receiver may refuse a path whose parent is missing' },
  { options: ['-av', '-R', '--no-implied-dirs'], sources: ['src/./a/b', 'src/links/'], start: 'baseline', about: 'parents already there' },
  { options: ['-lptgoDv', '-d'], sources: ['src/', 'src/a'], start: 'none', about: 'a directory without recursion' },
  { options: ['-av', '--mkpath'], dest: 'dest/new/deeper/', start: 'none' },
  { options: ['-av'], dest: 'dest/new/deeper/', start: 'none', about: 'without --mkpath the missing parent is an error' },
  { options: ['-av', '-k'], start: 'none', sources: ['src/links/to-dir/'], about: 'a symlink to a directory on the source sends the directory' },
  {
    options: ['-av', '-K'],
    start: 'baseline',
    about: 'a symlink to a directory on the destination is kept and filled',
    setup: async (work) => {
      const dest = path.join(work, 'dest');
      await rename(path.join(dest, 'a'), path.join(work, 'real-a'));
      await symlink('../real-a', path.join(dest, 'a'));
    },
  },
  { options: ['-av', '-L'], start: 'none' },
  { options: ['-av', '--copy-unsafe-links'], start: 'none' },
  { options: ['-av', '--safe-links'], start: 'none' },
  { options: ['-av', '--munge-links'], start: 'none' },
  { options: ['-av', '-x'], start: 'none' },
  { options: ['-av', '-xx'], start: 'none' },
]);
