// What rsync decides once every option is read (the second half of
// options.c parse_arguments): implied options, values it left undecided,
// the environment variables it reads, and the combinations it refuses,
// in rsync's order so that the first complaint is rsync's first.
import { CliError } from './cli-error.js';
import { readOperand } from './endpoints.js';
import type { ParseState } from './option-table.js';
import { cleanPath, parseSize } from './option-values.js';
import { clientDebugWords } from './output-words.js';
import type { RsyncOptions } from './rsync-options.js';
import { MAXPATHLEN, RERR } from '../protocol/constants.js';

/** The environment rsync reads: RSYNC_OLD_ARGS, RSYNC_PROTECT_ARGS, RSYNC_MAX_ALLOC, RSYNC_PARTIAL_DIR. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** rsync's default --max-alloc: servers are told only about another one. */
const DEFAULT_MAX_ALLOC = 1n << 30n;
/** The checksum names rsync 3.5 knows (checksum.c valid_checksums). */
const CHECKSUMS = ['xxh128', 'xxh3', 'xxh64', 'xxhash', 'md5', 'md4', 'sha1', 'none'];
/** The compression names rsync 3.5 knows, by rsync's number for each (CPRES_*). */
const COMPRESSIONS: Readonly<Record<string, number>> = { none: 0, zlib: 1, zlibx: 2, lz4: 3, zstd: 4 };
/** rsync's do_compression for "compress, the servers negotiate how" without -z (CPRES_AUTO). */
const COMPRESS_AUTO = -1;

/** C's atoi(): the leading integer, 0 when there is none. */
function atoi(text: string): number {
  return Number.parseInt(/^\s*[+-]?\d+/.exec(text)?.[0] ?? '0', 10);
}

/** A filter rule rsync adds itself. */
function implyRule(s: ParseState, text: string): void {
  s.options.filters.push({ option: 'filter', text, from0: s.options.eolNulls });
}

export function settle(s: ParseState, operandCount: number, env: Environment): void {
  const o = s.options;
  settleMaxAlloc(s, env);
  settleArgQuoting(s, env);
  settleChecksum(s);
  settleCompression(s);
  // A charset of "-" means no conversion.
  if (o.iconv === '-') o.iconv = undefined;
  // -yy looks in each --*-dest directory too.
  if (o.fuzzyBasis > 1) o.fuzzyBasis = o.basisDirs.length + 1;
  if (o.amRoot < 0 && o.preserveXattrs > 1) throw new CliError('--fake-super conflicts with -XX');
  if (o.tmpdir !== undefined && o.tmpdir.length >= MAXPATHLEN - 10) throw new CliError('the --temp-dir path is WAY too long.');
  // A negative --max-delete means none.
  if (s.pending.maxDelete !== undefined) o.maxDelete = Math.max(s.pending.maxDelete, 0);
  settlePaths(s, operandCount);
  settleDeletion(o);
  settleBackups(s);
  settleOutput(s);
  settleInplace(s, env);
  settleFilesFrom(s, operandCount);
  // relaysync reaches every host through a remote shell, where rsync refuses it.
  if (o.connectTimeout !== 0) throw new CliError('The --contimeout option may only be used when connecting to an rsync daemon.');
}

function settleMaxAlloc(s: ParseState, env: Environment): void {
  const arg = s.pending.maxAllocArg ?? (env.RSYNC_MAX_ALLOC || undefined);
  if (arg === undefined) return;
  const size = parseSize(arg, 'max-alloc', { defaultUnit: 'B', min: 1n << 20n, zeroIsUnlimited: true });
  if (size === 0n) throw new CliError('max-alloc must be greater than zero');
  // Servers hear it as written, and only when it changes the default.
  s.options.maxAllocArg = size === DEFAULT_MAX_ALLOC ? undefined : arg;
}

/** --old-args and -s exclude each other; without either, RSYNC_OLD_ARGS and then RSYNC_PROTECT_ARGS decide. */
function settleArgQuoting(s: ParseState, env: Environment): void {
  const { options: o, pending: p } = s;
  if (p.oldStyleArgs === undefined) {
    const fromEnv = env.RSYNC_OLD_ARGS;
    if (p.protectArgs !== true && fromEnv) {
      p.protectArgs = false;
      o.oldStyleArgs = atoi(fromEnv);
    }
  } else if (p.oldStyleArgs > 0) {
    if (p.protectArgs === true) throw new CliError('--secluded-args conflicts with --old-args.');
    p.protectArgs = false;
    o.oldStyleArgs = p.oldStyleArgs;
  }
  if (p.protectArgs === undefined) {
    const fromEnv = env.RSYNC_PROTECT_ARGS;
    o.protectArgs = fromEnv ? atoi(fromEnv) !== 0 : false;
  } else {
    o.protectArgs = p.protectArgs;
  }
}

/** Each name is checked; a transfer checksum of "none" makes the transfer whole-file. */
function settleChecksum(s: ParseState): void {
  const choice = s.pending.checksumChoice;
  if (choice === undefined || ['auto', 'auto,auto'].includes(choice.toLowerCase())) return;
  const comma = choice.indexOf(',');
  // rsync's message shows the rest of the value from the bad name on.
  const names = comma < 0 ? [[choice, choice]] : [[choice.slice(0, comma), choice], [choice.slice(comma + 1), choice.slice(comma + 1)]];
  for (const [name, shown] of names) {
    const known = name!.toLowerCase() === 'auto' || CHECKSUMS.includes(name!.toLowerCase());
    if (!known) throw new CliError(`unknown checksum name: ${shown}`, RERR.UNSUPPORTED);
  }
  s.options.checksumChoice = choice;
  if (names[0]![0]!.toLowerCase() === 'none') s.options.wholeFile = 1;
}

/**
 * rsync's do_compression: -z once, or a name (-zz is zlibx); "none" names
 * no compression and still goes to the servers as a choice; a level alone
 * turns compression on without saying how.
 */
function settleCompression(s: ParseState): void {
  const { options: o, pending: p } = s;
  let choice = p.compressChoice;
  // rsync's do_compression: the count of -z until a name replaces it with that name's number.
  let compression = p.compressCount;
  if (choice === undefined && compression > 1) choice = 'zlibx';
  if (choice !== undefined && choice.toLowerCase() !== 'auto') {
    const number = COMPRESSIONS[choice.toLowerCase()];
    if (number === undefined) throw new CliError(`unknown compress name: ${choice}`, RERR.UNSUPPORTED);
    compression = number;
    if (number === 0) choice = 'none';
  } else {
    // "auto" leaves the -z count in place, and rsync reads 2 as zlibx's number; a larger
    // count names nothing the servers are told, so they negotiate as with a level alone.
    choice = compression === COMPRESSIONS.zlibx ? 'zlibx' : undefined;
    if (compression > COMPRESSIONS.zlibx!) compression = COMPRESS_AUTO;
  }
  if (compression === 0 && p.compressLevel !== undefined) compression = COMPRESS_AUTO;
  o.compress = compression !== 0;
  o.compressImplied = compression === COMPRESS_AUTO;
  o.compressChoice = choice;
  o.compressLevel = p.compressLevel;
}

function settlePaths(s: ParseState, operandCount: number): void {
  const { options: o, pending: p } = s;
  let xferDirs = p.xferDirs;
  if (p.filesFrom !== undefined) {
    // The list names what to send: -a's recursion does not apply, an explicit -r does.
    if (o.recurse === 1) o.recurse = 0;
    xferDirs ??= 1;
  }
  // A lone SRC is listed.
  if (operandCount < 2) o.listOnly |= 1;
  if (xferDirs !== undefined && xferDirs >= 4) {
    // --old-dirs is -r with this rule (its own row says what it needs from the broker).
    s.options.filters.push({ option: 'filter', text: '- /*/*', from0: o.eolNulls });
    o.recurse = 1;
    xferDirs = 1;
  } else if (o.recurse > 0) {
    xferDirs = 1;
  } else {
    xferDirs ??= o.listOnly > 0 ? 1 : 0;
  }
  o.xferDirs = xferDirs;
  o.relativePaths = p.relativePaths ?? p.filesFrom !== undefined;
  o.impliedDirs = o.relativePaths && p.impliedDirs;
}

function settleDeletion(o: RsyncOptions): void {
  if (Number(o.deleteBefore) + Number(o.deleteDuring > 0) + Number(o.deleteAfter) > 1) {
    throw new CliError('You may not combine multiple --delete-WHEN options.');
  }
  if (o.deleteBefore || o.deleteDuring > 0 || o.deleteAfter || o.deleteExcluded) o.deleteMode = true;
  if (o.xferDirs === 0 && o.deleteMode) throw new CliError('--delete does not work without --recursive (-r) or --dirs (-d).');
  // Both missing-args options: deleting wins.
  if (o.missingArgs === 3) o.missingArgs = 2;
}

function settleBackups(s: ParseState): void {
  const { options: o, pending: p } = s;
  const suffix = p.backupSuffix ?? (p.backupDir === undefined ? '~' : '');
  if (suffix.includes('/')) throw new CliError(`--suffix cannot contain slashes: ${suffix}`);
  let dir = p.backupDir;
  let isDest = false;
  if (dir !== undefined) {
    o.makeBackups = true;
    while (dir.startsWith('./')) dir = dir.slice(2);
    if (dir === '.') dir = '';
    if (dir.length > MAXPATHLEN - 128) throw new CliError('the --backup-dir path is WAY too long.');
    // The destination itself: backups sit beside the files, so they need a suffix.
    isDest = dir === '';
    if (isDest) dir = undefined;
  }
  o.backupDir = dir;
  o.backupSuffix = suffix;
  if (dir === undefined) {
    if (suffix === '') {
      throw new CliError(`--suffix cannot be empty ${isDest ? 'when --backup-dir is the same as the dest dir' : 'without a --backup-dir'}`);
    }
    // Backups beside the files must survive --delete.
    if (o.makeBackups && o.deleteMode && !o.deleteExcluded) implyRule(s, `P *${suffix}`);
    // Directories are not backed up, so their times are left alone (and the servers are not told).
    if (o.makeBackups) o.omitDirTimes = -1;
  }
}

/** -i's format for each file's line, the log file's format, and the --debug words relaysync cannot show. */
function settleOutput(s: ParseState): void {
  const { options: o, pending: p } = s;
  if (o.stdoutFormat === undefined && o.itemizeChanges > 0) o.stdoutFormat = '%i %n%L';
  o.logfileFormat = o.logfileName === undefined ? undefined : (p.logfileFormat ?? '%i %n%L');
  const client = clientDebugWords(o.debug);
  if (client.length > 0) {
    throw new CliError(
      `--debug words ${client.map((w) => w.toUpperCase()).join(', ')} debug rsync's own client, a part relaysync plays itself: it has none of their messages to show.\n` +
        "Run relaysync without them; the sender's words (ACL DELTASUM FILTER FLIST HASH HLINK SEND) work, shown by the source's rsync.",
    );
  }
}

/** --append and --write-devices write in place; in-place writing and a partial directory exclude each other. */
function settleInplace(s: ParseState, env: Environment): void {
  const { options: o, pending: p } = s;
  if (o.appendMode > 0) {
    if (o.wholeFile > 0) throw new CliError('--append cannot be used with --whole-file');
    o.inplace = true;
  }
  if (o.writeDevices) o.inplace = true;
  let dir = p.partialDir;
  if (o.inplace) {
    if (dir !== undefined || o.delayUpdates) {
      throw new CliError(`--${o.appendMode > 0 ? 'append' : 'inplace'} cannot be used with --${o.delayUpdates ? 'delay-updates' : 'partial-dir'}`);
    }
    // Nothing is written beside the file, so there is no partial file to keep.
    o.keepPartial = false;
    return;
  }
  if (o.keepPartial && dir === undefined && !o.delayUpdates) dir = env.RSYNC_PARTIAL_DIR || undefined;
  if (dir === undefined && !o.delayUpdates) return;
  o.keepPartial = true;
  if (dir === undefined) return;
  dir = dir === '' ? '' : cleanPath(dir);
  if (dir === '' || dir === '.') {
    // rsync then tells the receiver --partial alone: nothing is delayed.
    o.delayUpdates = false;
    return;
  }
  o.partialDir = dir;
}

/** A list on a host is HOST:FILE; with a list, exactly one SRC and one DEST. */
function settleFilesFrom(s: ParseState, operandCount: number): void {
  const given = s.pending.filesFrom;
  if (given === undefined) return;
  if (operandCount > 2 || operandCount === 1) {
    throw new CliError(`--files-from takes exactly one SRC and one DEST (${operandCount} given)`);
  }
  const o = s.options;
  if (given === '-') {
    o.filesFrom = given;
    return;
  }
  const operand = readOperand(given);
  if (operand.kind === 'local') {
    o.filesFrom = given;
    return;
  }
  if (operand.path === '-') throw new CliError('Invalid --files-from remote filename');
  o.filesFrom = operand.path;
  o.filesfromHost = operand.user === undefined ? operand.host : `${operand.user}@${operand.host}`;
}
