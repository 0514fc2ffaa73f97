// --files-from against plain rsync: a list read by relaysync and sent to the
// source, as rsync's client reads it and sends it when it pushes.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { optionDifferential } from '../../harness/option-differential.js';

const names = ['plain.txt', 'a/b/c/d/deep.txt', 'name with  spaces.txt', 'links/relative', 'a/b'];

/** Writes `names` into the working directory's `file`, each ended by `end`; a comment and a blank line too unless NUL-ended. */
function list(file: string, end: '\n' | '\0', extra: readonly string[] = []) {
  const lines = end === '\0' ? [...names, ...extra] : ['# chosen files', '', ...names, ...extra];
  return (work: string) => writeFile(path.join(work, file), lines.map((line) => line + end).join(''));
}

optionDifferential('files-from', [
  { options: ['-av', '--files-from=list'], start: 'none', setup: list('list', '\n') },
  { options: ['-av', '--files-from=list'], start: 'none', setup: list('list', '\n', ['missing.txt']), about: 'a name that is not there' },
  { options: ['-av', '--from0', '--files-from=list0'], start: 'none', setup: list('list0', '\0') },
  { options: ['-av', '--files-from=list', '--no-relative'], start: 'none', setup: list('list', '\n') },
  { options: ['-av', '-r', '--files-from=list'], start: 'none', setup: list('list', '\n'), about: 'a directory named is copied whole' },
  { options: ['-av', '--files-from=list', '--stats'], start: 'baseline', setup: list('list', '\n') },
]);
