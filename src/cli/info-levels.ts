// rsync decides what it prints by "info" levels (options.c): -v turns on
// NAME, FLIST, STATS, DEL and others at level 1, -vv raises some to 2,
// --stats raises STATS, --progress adds PROGRESS and the file names. The
// output reads these levels rather than the options that set them.
import type { RsyncOptions } from './rsync-options.js';

export interface InfoLevels {
  /** File names as they are transferred (2: also unchanged ones). */
  readonly name: number;
  /** File-list messages ("sending incremental file list"). */
  readonly flist: number;
  /** 1: the closing totals; 2: the --stats block; 3: more. */
  readonly stats: number;
  readonly progress: number;
  /** "deleting NAME" lines. */
  readonly del: number;
  readonly skip: number;
  readonly misc: number;
}

export function infoLevels(o: RsyncOptions): InfoLevels {
  const v = Math.min(o.verbose, 2);
  let name = v;
  let flist = v >= 1 ? 1 : 0;
  let stats = v >= 1 ? 1 : 0;
  let progress = 0;
  if (o.stats) stats = o.verbose > 1 ? 3 : 2;
  if (o.progress) {
    if (name === 0) name = 1;
    flist = 2;
    progress = 1;
  }
  return { name, flist, stats, progress, del: v >= 1 ? 1 : 0, skip: v >= 2 ? 1 : 0, misc: v };
}
