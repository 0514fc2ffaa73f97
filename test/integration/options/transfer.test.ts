// Transfer-control options against plain rsync: rate, timeouts, block
// size, whole-file or delta, listings, allocation limit, dry runs.
import { optionDifferential } from '../../harness/option-differential.js';

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
]);
