// Deletion options against plain rsync: the destination starts as the old
// tree plus entries only it has, the source is the changed tree.
import { optionDifferential } from '../../harness/option-differential.js';

optionDifferential('deletion', [
  { options: ['-av', '--delete-before'] },
  { options: ['-av', '--delete-during'] },
  { options: ['-av', '--del'] },
  { options: ['-av', '--delete-delay'] },
  { options: ['-av', '--delete-after', '--stats'] },
  { options: ['-av', '--delete', '--max-delete=2'], about: 'the limit stops deletions, exit code 25', ignore: ['dirMtime'] },
  { options: ['-av', '--delete', '--max-delete=0'], about: 'no deletions at all' },
  { options: ['-av', '--delete', '--ignore-errors', '--force'] },
  { options: ['-av', '--delete', '--exclude=extra*'], about: 'excluded names are protected' },
  { options: ['-av', '--delete', '--dry-run', '--stats'] },
]);
