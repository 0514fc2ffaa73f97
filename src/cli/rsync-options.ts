// The parsed state of the rsync options a user gave, named after the rsync
// variables they set (options.c), so that rsync's source reads as
// documentation. It is the state rsync has once parse_arguments() is done:
// implied options are applied and rsync's "undecided" values are decided.
import type { DebugWord, InfoWord } from './output-words.js';

/**
 * One filter option, in command-line order. rsync reads a file that a rule
 * names (an --exclude-from file, a `merge` rule's file) at the option's own
 * place, so a later --from0 does not apply to it: `from0` says whether one
 * came before. The broker reads those files; the rule text is checked here.
 */
export type FilterOption =
  | { readonly option: 'exclude' | 'include'; readonly text: string }
  | { readonly option: 'filter' | 'exclude-from' | 'include-from'; readonly text: string; readonly from0: boolean };

/** Which kind of --*-dest directories were given (rsync allows one kind). */
export type AltDestType = 'compare-dest' | 'copy-dest' | 'link-dest';

export interface RsyncOptions {
  // ---- output
  verbose: number;
  quiet: number;
  /** 1 by default as in rsync 3.5; each -h adds one. Display only. */
  humanReadable: number;
  /** -i: each -i adds one (-ii also itemizes unchanged files). */
  itemizeChanges: number;
  /**
   * --out-format as given, else "%i %n%L" for -i; outputFormat() adds
   * rsync's "%n%L" for when names are printed without either.
   */
  stdoutFormat: string | undefined;
  /** --log-file: the file relaysync appends its log to. */
  logfileName: string | undefined;
  /** --log-file-format, "%i %n%L" when --log-file has none; undefined without --log-file. */
  logfileFormat: string | undefined;
  /** The levels --info set, word by word (rsync's USER_PRIORITY); infoLevels() adds -v's and the others'. */
  info: Partial<Record<InfoWord, number>>;
  /** The levels --debug set, word by word. */
  debug: Partial<Record<DebugWord, number>>;
  stats: boolean;
  progress: boolean;
  /** rsync's list_only: 2 for --list-only (sent to the servers), plus 1 when there is only a SRC. */
  listOnly: number;

  // ---- what to copy
  /** 0 off, 1 implied by -a, 2 -r given: --files-from turns only the implied one off. */
  recurse: number;
  /** --no-inc-recursive clears it; the capability letter `i` needs it. */
  allowIncRecurse: boolean;
  /** rsync's xfer_dirs: 0 no, 1 implied (by -r, --files-from or listing), 2 -d without -r. */
  xferDirs: number;
  /** -R, or implied by --files-from. */
  relativePaths: boolean;
  /** With -R, also send the directories leading to each path; false without -R. */
  impliedDirs: boolean;
  /** --mkpath: the receiver creates the missing directories of DEST. */
  mkpathDestArg: boolean;
  preserveLinks: boolean;
  copyLinks: boolean;
  /** -k: the sender follows symlinks to directories. */
  copyDirlinks: boolean;
  /** -K: the receiver treats a symlink to a directory as the directory. */
  keepDirlinks: boolean;
  copyUnsafeLinks: boolean;
  /** --safe-links */
  safeSymlinks: boolean;
  /** --munge-links: rsync munges on the client's own side only. */
  mungeSymlinks: boolean;
  /** 0 = off; -x once or -xx twice. */
  oneFileSystem: number;
  updateOnly: boolean;
  /** --existing */
  ignoreNonExisting: boolean;
  ignoreExisting: boolean;
  /** --max-size in bytes (exact: a size may pass 2^53); undefined = no limit. */
  maxSize: bigint | undefined;
  /** --min-size in bytes; undefined = no limit. */
  minSize: bigint | undefined;
  /** --files-from: the list's path (`-` is standard input), without a host. */
  filesFrom: string | undefined;
  /** The host part of --files-from=[USER@]HOST:PATH; '' for `:PATH` (the remote side); undefined for a local list. */
  filesfromHost: string | undefined;
  /** --from0: names in the list files end with a NUL byte. */
  eolNulls: boolean;
  /** 1 --ignore-missing-args, 2 --delete-missing-args. */
  missingArgs: number;
  /** 1 --remove-source-files, 2 its old spelling --remove-sent-files. */
  removeSourceFiles: number;

  // ---- metadata
  preservePerms: boolean;
  /** -E */
  preserveExecutability: boolean;
  /** Each --chmod, in order (checked; the modes are applied by the side that lists the files). */
  chmod: string[];
  preserveMtimes: boolean;
  /** -U once or twice (-UU also opens files without changing their access time). */
  preserveAtimes: number;
  openNoatime: boolean;
  /** -N */
  preserveCrtimes: boolean;
  /** -O: 1 given; -1 when -b without --backup-dir implies it (then not sent). */
  omitDirTimes: number;
  omitLinkTimes: boolean;
  preserveGid: boolean;
  preserveUid: boolean;
  /** --usermap, or "*:USER" from --chown. */
  usermap: string | undefined;
  /** --groupmap, or "*:GROUP" from --chown. */
  groupmap: string | undefined;
  preserveDevices: boolean;
  preserveSpecials: boolean;
  copyDevices: boolean;
  writeDevices: boolean;
  /** 0 = off; each -H adds one, as in rsync. */
  preserveHardLinks: number;
  /** -A (implies -p) */
  preserveAcls: boolean;
  /** 0 = off; each -X adds one (-XX also copies rsync's own internal attributes). */
  preserveXattrs: number;
  numericIds: boolean;
  /** rsync's am_root as the options set it: 2 --super, -1 --fake-super, 0 neither. */
  amRoot: number;
  /** -@/--modify-window in seconds; undefined when not given (the servers' default). */
  modifyWindow: number | undefined;
  /** -S */
  sparseFiles: boolean;
  preallocateFiles: boolean;
  /** --fsync */
  doFsync: boolean;

  // ---- deleting
  /** Deleting at all: --delete or any --delete-WHEN, or --delete-excluded. */
  deleteMode: boolean;
  deleteBefore: boolean;
  /** 1 --delete-during (--del), 2 --delete-delay. */
  deleteDuring: number;
  deleteAfter: boolean;
  deleteExcluded: boolean;
  /** --max-delete; 0 = delete nothing (a negative value means 0); undefined = no limit. */
  maxDelete: number | undefined;
  /** --force */
  forceDelete: boolean;
  ignoreErrors: boolean;

  // ---- filtering
  /** Filter rules in command-line order, including those rsync implies (-F, --old-dirs, -b with --delete). */
  filters: FilterOption[];
  /** -C: CVS's ignore rules (the client adds them at the end of the list). */
  cvsExclude: boolean;
  pruneEmptyDirs: boolean;

  // ---- basis files and backups
  /** -b, or implied by --backup-dir. */
  makeBackups: boolean;
  /** --backup-dir as rsync sends it (leading ./ removed); undefined for none or for the destination itself. */
  backupDir: string | undefined;
  /** The backup suffix in effect: --suffix, else "~" ("" with --backup-dir). */
  backupSuffix: string;
  /** --partial-dir, cleaned; undefined when none was given (--delay-updates then uses .~tmp~ without telling the server). */
  partialDir: string | undefined;
  keepPartial: boolean;
  delayUpdates: boolean;
  inplace: boolean;
  /** 1 --append, 2 --append-verify. */
  appendMode: number;
  /** -T/--temp-dir */
  tmpdir: string | undefined;
  /** -y: 1, or with -yy one more than the number of --*-dest directories. */
  fuzzyBasis: number;
  /** --compare-dest, --copy-dest or --link-dest directories, at most 20, all of one kind. */
  basisDirs: string[];
  altDestType: AltDestType | undefined;

  // ---- how to transfer
  dryRun: boolean;
  /** Whether file data is compressed at all: -z, a --compress-level, or a --compress-choice other than none. */
  compress: boolean;
  /**
   * Compression was asked for by --compress-level alone (rsync's CPRES_AUTO):
   * the servers negotiate as with -z, but the command lines carry no `z`.
   */
  compressImplied: boolean;
  /** The name chosen by --compress-choice, --old-compress, --new-compress or -zz; undefined = the servers negotiate. */
  compressChoice: string | undefined;
  /** --compress-level; undefined = each algorithm's default. */
  compressLevel: number | undefined;
  /** --skip-compress: suffixes the sender does not compress. */
  skipCompress: string | undefined;
  alwaysChecksum: boolean;
  /** --checksum-choice as given ("XFER" or "XFER,FILE"); undefined = the servers negotiate. */
  checksumChoice: string | undefined;
  /** -1 = rsync's default (delta for remote transfers), 0 = --no-whole-file, 1 = -W (or a "none" checksum). */
  wholeFile: -1 | 0 | 1;
  /** -B in bytes; 0 = the servers choose. */
  blockSize: number;
  sizeOnly: boolean;
  /** -I */
  ignoreTimes: boolean;
  /** --bwlimit in bytes per second as rsync enforces it (whole KiB); 0 = no limit. */
  bwlimit: number;
  /** --timeout in seconds; 0 = none. */
  ioTimeout: number;
  /** --contimeout in seconds; 0 = none. */
  connectTimeout: number;
  /** --max-alloc (or RSYNC_MAX_ALLOC) as written, when it differs from rsync's 1G default: servers get it as is. */
  maxAllocArg: string | undefined;
  /** --protocol=N: the highest protocol version relaysync offers. */
  protocol: number | undefined;

  // ---- the remote command lines
  /** -s (or RSYNC_PROTECT_ARGS): the arguments go through the protocol, not the remote shell. */
  protectArgs: boolean;
  /** --old-args (or RSYNC_OLD_ARGS): 1 leaves paths unquoted for the remote shell, 2 everything. */
  oldStyleArgs: number;
  /** --iconv (or RSYNC_ICONV) as given: LOCAL,REMOTE or one charset; undefined = no conversion. */
  iconv: string | undefined;
}

export function defaultRsyncOptions(): RsyncOptions {
  return {
    verbose: 0,
    quiet: 0,
    humanReadable: 1,
    itemizeChanges: 0,
    stdoutFormat: undefined,
    logfileName: undefined,
    logfileFormat: undefined,
    info: {},
    debug: {},
    stats: false,
    progress: false,
    listOnly: 0,
    recurse: 0,
    allowIncRecurse: true,
    xferDirs: 0,
    relativePaths: false,
    impliedDirs: false,
    mkpathDestArg: false,
    preserveLinks: false,
    copyLinks: false,
    copyDirlinks: false,
    keepDirlinks: false,
    copyUnsafeLinks: false,
    safeSymlinks: false,
    mungeSymlinks: false,
    oneFileSystem: 0,
    updateOnly: false,
    ignoreNonExisting: false,
    ignoreExisting: false,
    maxSize: undefined,
    minSize: undefined,
    filesFrom: undefined,
    filesfromHost: undefined,
    eolNulls: false,
    missingArgs: 0,
    removeSourceFiles: 0,
    preservePerms: false,
    preserveExecutability: false,
    chmod: [],
    preserveMtimes: false,
    preserveAtimes: 0,
    openNoatime: false,
    preserveCrtimes: false,
    omitDirTimes: 0,
    omitLinkTimes: false,
    preserveGid: false,
    preserveUid: false,
    usermap: undefined,
    groupmap: undefined,
    preserveDevices: false,
    preserveSpecials: false,
    copyDevices: false,
    writeDevices: false,
    preserveHardLinks: 0,
    preserveAcls: false,
    preserveXattrs: 0,
    numericIds: false,
    amRoot: 0,
    modifyWindow: undefined,
    sparseFiles: false,
    preallocateFiles: false,
    doFsync: false,
    deleteMode: false,
    deleteBefore: false,
    deleteDuring: 0,
    deleteAfter: false,
    deleteExcluded: false,
    maxDelete: undefined,
    forceDelete: false,
    ignoreErrors: false,
    filters: [],
    cvsExclude: false,
    pruneEmptyDirs: false,
    makeBackups: false,
    backupDir: undefined,
    backupSuffix: '~',
    partialDir: undefined,
    keepPartial: false,
    delayUpdates: false,
    inplace: false,
    appendMode: 0,
    tmpdir: undefined,
    fuzzyBasis: 0,
    basisDirs: [],
    altDestType: undefined,
    dryRun: false,
    compress: false,
    compressImplied: false,
    compressChoice: undefined,
    compressLevel: undefined,
    skipCompress: undefined,
    alwaysChecksum: false,
    checksumChoice: undefined,
    wholeFile: -1,
    blockSize: 0,
    sizeOnly: false,
    ignoreTimes: false,
    bwlimit: 0,
    ioTimeout: 0,
    connectTimeout: 0,
    maxAllocArg: undefined,
    protocol: undefined,
    protectArgs: false,
    oldStyleArgs: 0,
    iconv: undefined,
  };
}
