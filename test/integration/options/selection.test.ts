// Selection options against plain rsync: which files are sent, checked or
// left alone, and the choices that change how they travel.
import { optionDifferential } from '../../harness/option-differential.js';

optionDifferential('selection', [
  { options: ['-av', '--size-only'], start: 'baseline' },
  { options: ['-av', '-I', '--stats'], start: 'baseline' },
  { options: ['-av', '--ignore-existing'] },
  { options: ['-av', '--existing'] },
  { options: ['-av', '--max-size=10K'], start: 'none' },
  { options: ['-av', '--min-size=1K'], start: 'none' },
  { options: ['-av', '--remove-source-files'], start: 'baseline', ignore: ['dirMtime'], about: 'the source loses what was sent' },
  { options: ['-av', '--stats', '--checksum-choice=md5'], start: 'baseline' },
  { options: ['-avc', '--stats', '--checksum-choice=xxh128,md4'], start: 'baseline' },
  { options: ['-av', '--stats', '--checksum-choice=xxh64'], start: 'baseline' },
  { options: ['-av', '--stats', '--compress-choice=zstd', '--compress-level=9'], start: 'baseline' },
  { options: ['-av', '--stats', '--compress-choice=lz4'], start: 'baseline' },
  { options: ['-avzz', '--stats'], start: 'baseline' },
  { options: ['-avz', '--stats', '--old-compress'], start: 'baseline' },
  { options: ['-avz', '--stats', '--skip-compress=bin/txt'], start: 'baseline' },
  { options: ['-av', '-s'], start: 'none' },
  { options: ['-av', '--old-args'], start: 'none' },
]);
