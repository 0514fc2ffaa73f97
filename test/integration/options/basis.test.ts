// Basis and backup options against plain rsync: alternate basis
// directories, backups, partial and temporary files, fuzzy matching.
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { copyTree } from '../../harness/relay-fixtures.js';
import { optionDifferential } from '../../harness/option-differential.js';
import { mediumFile } from '../../harness/relay-fixtures.js';

/** Moves the old tree aside as a basis directory next to an empty destination. */
const basisFrom = (...names: string[]) => async (work: string) => {
  for (const [i, name] of names.entries()) {
    if (i === 0) await rename(path.join(work, 'dest'), path.join(work, name));
    else await copyTree(path.join(work, names[0]!), path.join(work, name));
  }
  await mkdir(path.join(work, 'dest'));
};

optionDifferential('basis', [
  { options: ['-av', '--stats', '--link-dest=../old'], start: 'baseline', setup: basisFrom('old') },
  { options: ['-av', '--stats', '--copy-dest=../old'], start: 'baseline', setup: basisFrom('old') },
  { options: ['-av', '--stats', '--compare-dest=../old'], start: 'baseline', setup: basisFrom('old') },
  {
    options: ['-av', '--link-dest=../one', '--link-dest=../two', '--link-dest=../three'],
    start: 'baseline',
    setup: basisFrom('one', 'two', 'three'),
    about: 'several basis directories',
  },
  { options: ['-av', '--delete', '-b'], about: 'backups beside the files, with ~' },
  { options: ['-av', '--delete', '--backup-dir=../backups', '--suffix=.old'], ignore: ['dirMtime'] },
  { options: ['-av', '--partial'] },
  { options: ['-av', '--partial-dir=.partial'] },
  { options: ['-av', '--delay-updates'] },
  { options: ['-av', '--stats', '--append'], start: 'baseline' },
  { options: ['-av', '--stats', '--append-verify'], start: 'baseline' },
  {
    options: ['-av', '-T', '../tmp'],
    setup: (work) => mkdir(path.join(work, 'tmp')),
  },
  {
    options: ['-av', '--stats', '-y'],
    start: 'baseline',
    about: 'a renamed file is the basis of its new name',
    setup: (work) => rename(path.join(work, 'dest', mediumFile), path.join(work, 'dest', `${mediumFile}.old`)),
  },
  { options: ['-av', '--inplace', '--stats'], start: 'baseline' },
]);
