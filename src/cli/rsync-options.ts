// The parsed state of the rsync options a user gave, named after the rsync
// variables they set, so that rsync's source reads as documentation.

/** One --exclude/--include/--filter occurrence, in command-line order. */
export interface FilterOption {
  readonly option: 'exclude' | 'include' | 'filter';
  readonly text: string;
}

export interface RsyncOptions {
  verbose: number;
  quiet: number;
  /** 1 by default as in rsync 3.5; each -h adds one. Display only. */
  humanReadable: number;
  recurse: boolean;
  /** --no-inc-recursive clears it; the capability letter `i` needs it. */
  allowIncRecurse: boolean;
  preserveLinks: boolean;
  copyLinks: boolean;
  preservePerms: boolean;
  preserveMtimes: boolean;
  preserveGid: boolean;
  preserveUid: boolean;
  preserveDevices: boolean;
  preserveSpecials: boolean;
  /** 0 = off; each -H adds one, as in rsync. */
  preserveHardLinks: number;
  /** -A */
  preserveAcls: boolean;
  /** 0 = off; each -X adds one (-XX also copies rsync's own internal attributes). */
  preserveXattrs: number;
  /** 0 = off; -x once or -xx twice. */
  oneFileSystem: number;
  dryRun: boolean;
  /** -z: compress the relayed delta stream (the servers negotiate the algorithm). */
  compress: boolean;
  alwaysChecksum: boolean;
  /** -1 = rsync's default (delta for remote transfers), 0 = --no-whole-file, 1 = -W. */
  wholeFile: -1 | 0 | 1;
  updateOnly: boolean;
  deleteMode: boolean;
  filters: FilterOption[];
  numericIds: boolean;
  keepPartial: boolean;
  inplace: boolean;
  stats: boolean;
  progress: boolean;
  /** --protocol=N: the highest protocol version relaysync offers. */
  protocol: number | undefined;

  // Set by options that are not supported yet, read already because the
  // capability string and the remote quoting of paths depend on them.
  deleteBefore: boolean;
  deleteAfter: boolean;
  delayUpdates: boolean;
  pruneEmptyDirs: boolean;
  useQsort: boolean;
  /** -R */
  relativePaths: boolean;
}

export function defaultRsyncOptions(): RsyncOptions {
  return {
    verbose: 0,
    quiet: 0,
    humanReadable: 1,
    recurse: false,
    allowIncRecurse: true,
    preserveLinks: false,
    copyLinks: false,
    preservePerms: false,
    preserveMtimes: false,
    preserveGid: false,
    preserveUid: false,
    preserveDevices: false,
    preserveSpecials: false,
    preserveHardLinks: 0,
    preserveAcls: false,
    preserveXattrs: 0,
    oneFileSystem: 0,
    dryRun: false,
    compress: false,
    alwaysChecksum: false,
    wholeFile: -1,
    updateOnly: false,
    deleteMode: false,
    filters: [],
    numericIds: false,
    keepPartial: false,
    inplace: false,
    stats: false,
    progress: false,
    protocol: undefined,
    deleteBefore: false,
    deleteAfter: false,
    delayUpdates: false,
    pruneEmptyDirs: false,
    useQsort: false,
    relativePaths: false,
  };
}
