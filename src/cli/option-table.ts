// Every rsync 3.5.0 option, declared once: its spellings, its value, its
// help, whether relaysync supports it, how it changes the parsed state, and
// what it puts on each server's command line. Parsing, the server command
// lines, --help and README's option table all read this table.
import { validChmod } from './chmod-syntax.js';
import { CliError } from './cli-error.js';
import { parseFilterRules } from './filter-syntax.js';
import { logFormatHas, outputFormat } from './info-levels.js';
import { parseSize, poptInt } from './option-values.js';
import { readOutputWords, serverDebugArg, serverInfoArg } from './output-words.js';
import type { RelaySettings } from './relay-settings.js';
import type { AltDestType, RsyncOptions } from './rsync-options.js';
import { PROTOCOL_MAX, PROTOCOL_MIN, RERR } from '../protocol/constants.js';
import { RULE } from '../protocol/filter-rules.js';
import type { Side } from '../transport/server-process.js';
import { LOG_LEVELS } from '../ui/output-mode.js';

export type HelpTopic = 'options' | 'info' | 'debug';

/**
 * rsync's values that stay undecided until every option is read (its -1
 * defaults, and values it checks or normalizes afterwards); settle() in
 * parse-args decides them into RsyncOptions.
 */
export interface Pending {
  relativePaths: boolean | undefined;
  impliedDirs: boolean;
  /** 0 --no-dirs, 2 --dirs, 4 --old-dirs; undefined = decided by -r and the rest. */
  xferDirs: number | undefined;
  /** --files-from as given, [USER@]HOST: included. */
  filesFrom: string | undefined;
  /** How many -F so far: the first adds a dir-merge rule, the second an exclude of the files. */
  filterFileCount: number;
  maxDelete: number | undefined;
  backupDir: string | undefined;
  backupSuffix: string | undefined;
  partialDir: string | undefined;
  checksumChoice: string | undefined;
  /** How many -z: two or more mean zlibx. */
  compressCount: number;
  compressChoice: string | undefined;
  compressLevel: number | undefined;
  maxAllocArg: string | undefined;
  protectArgs: boolean | undefined;
  oldStyleArgs: number | undefined;
  logfileFormat: string | undefined;
  /** --usermap/--groupmap came from --chown: the conflict messages differ. */
  usermapViaChown: boolean;
  groupmapViaChown: boolean;
}

/** What applying the options builds up, in command-line order. */
export interface ParseState {
  readonly options: RsyncOptions;
  readonly relay: RelaySettings;
  readonly pending: Pending;
  /** rsync prints a help as soon as it reads the option asking for it. */
  help: HelpTopic | undefined;
  version: boolean;
}

/** Applies an option: `value` is its value, `typed` the option as rsync's messages quote it (`--max-delete=x`, `-@x`). */
export type Apply = (state: ParseState, value: string | undefined, typed: string) => void;

export interface OptionArg {
  /** How --help names the value: `--exclude=PATTERN`. */
  readonly name: string;
}

/**
 * rsync's order of the letters in the short-option cluster of a server
 * command line (options.c server_options). A letter may repeat in place (-vv).
 */
export const CLUSTER_ORDER = 'svqbunldKmOJyLkWHogDtUNpEAXrcCIRxSz';

/**
 * rsync's order of the separate server arguments. With -s only those up to
 * and including `iconv` go on the command line; the rest go through the protocol.
 */
export const ARG_ORDER = [
  'iconv',
  'list-only',
  'no-r',
  'compress-level',
  'specials',
  'log-format',
  'block-size',
  'timeout',
  'bwlimit',
  'backup-dir',
  'suffix',
  'checksum-choice',
  'compress-choice',
  'max-delete',
  'min-size',
  'max-size',
  'delete',
  'delete-excluded',
  'force',
  'super',
  'size-only',
  'stats',
  'skip-compress',
  'max-alloc',
  'missing-args',
  'modify-window',
  'checksum-seed',
  'partial-dir',
  'delay-updates',
  'partial',
  'ignore-errors',
  'copy-unsafe-links',
  'safe-links',
  'numeric-ids',
  'usermap',
  'groupmap',
  'ignore-existing',
  'existing',
  'temp-dir',
  'fsync',
  'basis-dirs',
  'info',
  // rsync never sends --debug; relaysync tells the source the sender's words (output-words.ts serverDebugArg).
  'debug',
  'inplace',
  'files-from',
  'no-implied-dirs',
  'write-devices',
  'remove-source-files',
  'copy-devices',
  'preallocate',
  'open-noatime',
  'mkpath',
  // Not rsync's: what rsync's sending client does itself, relaysync asks of the
  // source, its sender. These come after all of rsync's own arguments.
  'chmod',
  'fake-super',
  'munge-links',
] as const;
export type ArgSlot = (typeof ARG_ORDER)[number];

/** What a contribution may look at besides the options. */
export interface ServerContext {
  readonly side: Side;
  /** Which server reads the --files-from list itself, when it names a host. */
  readonly filesFromOn: Side | undefined;
}

/** What the parsed state of one option puts on a server's command line. */
export interface ServerContribution {
  /**
   * Which server gets it: the source is a server sender (what rsync sends
   * when it pulls), the dest a server receiver (what rsync sends when it pushes).
   */
  readonly to: Side | 'both';
  /** Letters for the short-option cluster; the builder puts them in CLUSTER_ORDER. */
  readonly letters?: (o: RsyncOptions, c: ServerContext) => string;
  /** Separate arguments, placed at their slot in ARG_ORDER. */
  readonly args?: { readonly slot: ArgSlot; readonly of: (o: RsyncOptions, c: ServerContext) => readonly string[] };
}

export type HelpGroup = 'what' | 'metadata' | 'delete' | 'backup' | 'transfer' | 'output' | 'hosts' | 'program';

interface Spellings {
  /** Long names without dashes: the first is the name, the others rsync's aliases. */
  readonly long: readonly string[];
  readonly short?: string;
  readonly arg?: OptionArg;
  /** Our own words for --help (and the README option table). */
  readonly help: string;
}

interface SupportedFields extends Spellings {
  readonly group: HelpGroup;
  readonly apply: Apply;
  readonly server?: ServerContribution;
}

/** The --no-OPTION spellings rsync has for an option, and what they do. */
type Negation = { readonly no?: undefined; readonly unset?: undefined } | { readonly no: readonly string[]; readonly unset: Apply };

export type SupportedOption = SupportedFields & Negation & { readonly status: 'supported' };

/** An option relaysync refuses as soon as it reads it. */
export interface RefusedOption extends Spellings {
  readonly status: 'refused';
  /** Why not, in a few words; the refusal message quotes it. */
  readonly reason: string;
  readonly no?: readonly string[];
}

export type OptionSpec = SupportedOption | RefusedOption;

/** The row of a supported option, by its first long name. */
export function supportedOption(name: string): SupportedOption {
  const found = OPTION_TABLE.find((o): o is SupportedOption => o.status === 'supported' && o.long[0] === name);
  if (found === undefined) throw new Error(`option table: no supported --${name}`);
  return found;
}

/** How an option is written on the command line: `-v`, `--verbose`, and apart its --no-OPTION forms. */
export function spellingsOf(option: OptionSpec): { readonly positive: string[]; readonly negative: string[] } {
  return {
    positive: [...(option.short === undefined ? [] : [`-${option.short}`]), ...option.long.map((l) => `--${l}`)],
    negative: (option.no ?? []).map((n) => `--${n}`),
  };
}

type FlagField = { [K in keyof RsyncOptions]: RsyncOptions[K] extends boolean ? K : never }[keyof RsyncOptions];
type CountField = 'verbose' | 'quiet' | 'humanReadable' | 'itemizeChanges' | 'preserveHardLinks' | 'preserveXattrs' | 'oneFileSystem' | 'fuzzyBasis';

const set =
  (field: FlagField, value: boolean): Apply =>
  (s) => {
    s.options[field] = value;
  };
const increment =
  (field: CountField): Apply =>
  (s) => {
    s.options[field]++;
  };
const reset =
  (field: CountField): Apply =>
  (s) => {
    s.options[field] = 0;
  };
/** The letter when a condition holds. */
const once = (ch: string, on: (o: RsyncOptions) => boolean) => (o: RsyncOptions) => (on(o) ? ch : '');
/** The letter when a flag is on. */
const letter = (ch: string, field: FlagField) => once(ch, (o) => o[field]);
/** A separate argument at its slot while a condition holds. */
const argWhen = (slot: ArgSlot, on: (o: RsyncOptions, c: ServerContext) => boolean, ...words: string[]) => ({
  slot,
  of: (o: RsyncOptions, c: ServerContext) => (on(o, c) ? words : []),
});
const flagArg = (slot: ArgSlot, field: FlagField, word: string) => argWhen(slot, (o) => o[field], word);

const text = (name: string): OptionArg => ({ name });

/** A text value: commander always hands one to an option that takes it. */
function given(value: string | undefined): string {
  if (value === undefined) throw new Error('option table: an option that takes a value got none');
  return value;
}

function supported(spec: SupportedFields & Negation): SupportedOption {
  return { ...spec, status: 'supported' };
}

function refused(reason: string, spec: Omit<RefusedOption, 'status' | 'reason'>): RefusedOption {
  return { ...spec, status: 'refused', reason };
}

// Why an option does not run (yet), as the refusal messages and README say it.
const OUTPUT = "relaysync's own output does not follow it yet";
const UNTRIED = 'it has not been tried through the relay yet';
const DAEMON = 'it is for rsync daemon connections, which relaysync does not make';
const DAEMON_MODE = 'it runs rsync as a daemon; relaysync is only ever a client';
const SERVER_SIDE = 'relaysync puts it on the server command lines itself';
const CLIENT_SIDE = "rsync's client applies it to its own side, and relaysync's client side holds no files";
const BATCH = 'batch files are written and read by the rsync client, and here the client is the broker';

function notEmpty(option: string, value: string, what = 'a program name'): string {
  if (value === '') throw new CliError(`--${option} needs ${what}`);
  return value;
}

/** Adds one filter option; --filter, --exclude and --include text is checked as rsync reads it. */
function addFilter(s: ParseState, option: 'exclude' | 'include' | 'filter' | 'exclude-from' | 'include-from', value: string): void {
  const o = s.options;
  if (option === 'exclude' || option === 'include') {
    parseFilterRules(value, { flags: option === 'include' ? RULE.INCLUDE : 0, oldPrefixes: true });
    o.filters.push({ option, text: value });
    return;
  }
  if (option === 'filter') parseFilterRules(value, { flags: 0, oldPrefixes: false });
  o.filters.push({ option, text: value, from0: o.eolNulls });
}

const MAX_BASIS_DIRS = 20;

/** The basis directories of one kind (--compare-dest, --copy-dest, --link-dest): at most 20, all of one kind. */
function addBasisDir(s: ParseState, type: AltDestType, dir: string): void {
  const o = s.options;
  if (o.altDestType !== undefined && o.altDestType !== type) {
    throw new CliError(`ERROR: the --${type} option conflicts with the --${o.altDestType} option`);
  }
  o.altDestType = type;
  if (o.basisDirs.length >= MAX_BASIS_DIRS) throw new CliError(`ERROR: at most ${MAX_BASIS_DIRS} --${type} args may be specified`);
  o.basisDirs.push(dir);
}

/** A --chown, --usermap or --groupmap: one map of each kind, and --chown's conflicts in rsync's words. */
function setIdMap(s: ParseState, kind: 'user' | 'group', map: string, viaChown: boolean): void {
  const o = s.options;
  const field = kind === 'user' ? 'usermap' : 'groupmap';
  const flag = kind === 'user' ? 'usermapViaChown' : 'groupmapViaChown';
  if (o[field] !== undefined) {
    const before = s.pending[flag];
    if (viaChown && before) throw new CliError(`You can only specify a ${kind}-affecting --chown once.`);
    if (viaChown) throw new CliError(`--chown conflicts with prior --${kind}map.`);
    if (before) throw new CliError(`--${kind}map conflicts with prior --chown.`);
    throw new CliError(`You can only specify --${kind}map once.`);
  }
  o[field] = map;
  s.pending[flag] = viaChown;
  if (kind === 'user') o.preserveUid = true;
  else o.preserveGid = true;
}

/** Whether the servers get zlib as the cluster letter `z` (rsync's do_compression == CPRES_ZLIB). */
function compressesWithZ(o: RsyncOptions): boolean {
  return o.compress && !o.compressImplied && (o.compressChoice === undefined || o.compressChoice.toLowerCase() === 'zlib');
}

/**
 * rsync's --log-format for a server receiver: what the client prints tells
 * it what to report back (itemized changes, -ii's too, or the operation),
 * and a client that logs names without -v wants nothing (X).
 */
function serverLogFormat(o: RsyncOptions): string | undefined {
  const format = outputFormat(o);
  if (format === undefined) return undefined;
  if (logFormatHas(format, 'i')) return o.itemizeChanges > 1 ? '%i%I' : '%i';
  if (logFormatHas(format, 'o')) return '%o';
  return o.verbose === 0 ? 'X' : undefined;
}

/** The charset of `side` in an --iconv spec LOCAL[,REMOTE]. */
function sideCharset(spec: string, side: Side): string {
  const comma = spec.indexOf(',');
  if (comma < 0) return spec;
  return side === 'source' ? spec.slice(0, comma) : spec.slice(comma + 1);
}

/** No words, or the one word a value makes. */
function optional<T>(value: T | undefined, word: (v: T) => string = String): string[] {
  return value === undefined ? [] : [word(value)];
}
/** A separate argument whose whole text depends on the options, when there is one. */
const argWhenValue = (slot: ArgSlot, of: (o: RsyncOptions) => string | undefined) => ({ slot, of: (o: RsyncOptions) => optional(of(o)) });

/** `a:b` -> ['a', 'b'], `a` -> ['a', undefined]. */
function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + separator.length)];
}

/** rsync's whole KiB per second for a rate in bytes, rounded, in its int (a huge rate wraps as in rsync). */
function kibPerSecond(bytes: bigint): number {
  return Number(BigInt.asIntN(32, (bytes + 512n) / 1024n));
}

export const OPTION_TABLE: readonly OptionSpec[] = [
  // ---- help and version
  supported({
    long: ['help'],
    help: 'show this help (-h on its own does too)',
    group: 'program',
    apply: (s) => {
      s.help = 'options';
    },
  }),
  supported({
    long: ['version'],
    short: 'V',
    help: 'print the version and exit',
    group: 'program',
    apply: (s) => {
      s.version = true;
    },
  }),

  // ---- output
  supported({
    long: ['verbose'],
    short: 'v',
    no: ['no-verbose', 'no-v'],
    help: 'say more about what happens; repeat for more',
    group: 'output',
    apply: increment('verbose'),
    unset: reset('verbose'),
    // rsync 3.5 stops at nine letters; more mean nothing to a server.
    server: { to: 'both', letters: (o) => 'v'.repeat(Math.min(o.verbose, 9)) },
  }),
  supported({
    long: ['info'],
    arg: text('FLAGS'),
    help: 'choose informational messages word by word (--info=help lists them)',
    group: 'output',
    apply: (s, value) => {
      if (readOutputWords('info', given(value), s.options.info) === 'help') s.help = 'info';
    },
    // A server hears the words that matter on its side.
    server: { to: 'both', args: { slot: 'info', of: (o, c) => optional(serverInfoArg(o.info, c.side === 'source')) } },
  }),
  supported({
    long: ['debug'],
    arg: text('FLAGS'),
    help: 'choose debug messages word by word (--debug=help lists them)',
    group: 'output',
    apply: (s, value) => {
      if (readOutputWords('debug', given(value), s.options.debug) === 'help') s.help = 'debug';
    },
    server: { to: 'source', args: { slot: 'debug', of: (o) => optional(serverDebugArg(o.debug, true)) } },
  }),
  refused(OUTPUT, { long: ['stderr'], arg: text('e|a|c'), help: 'choose which messages go to stderr' }),
  refused(OUTPUT, { long: ['msgs2stderr'], no: ['no-msgs2stderr'], help: 'older spelling of --stderr=all' }),
  supported({
    long: ['quiet'],
    short: 'q',
    help: 'print errors only',
    group: 'output',
    apply: increment('quiet'),
    server: { to: 'both', letters: once('q', (o) => o.quiet > 0) },
  }),
  refused(DAEMON, { long: ['motd'], no: ['no-motd'], help: "show a daemon's message of the day" }),
  supported({
    long: ['stats'],
    help: 'print transfer statistics at the end',
    group: 'output',
    apply: set('stats', true),
    // A client sender asks the server receiver for its statistics.
    server: { to: 'dest', args: flagArg('stats', 'stats', '--stats') },
  }),
  supported({
    long: ['human-readable'],
    short: 'h',
    no: ['no-human-readable', 'no-h'],
    help: 'print sizes with units (K, M, G); repeat for powers of 1024',
    group: 'output',
    apply: increment('humanReadable'),
    unset: reset('humanReadable'),
  }),
  refused(OUTPUT, {
    long: ['8-bit-output'],
    short: '8',
    no: ['no-8-bit-output', 'no-8'],
    help: 'print bytes of file names above 127 as they are',
  }),
  supported({
    long: ['progress'],
    no: ['no-progress'],
    help: 'show the progress of each file',
    group: 'output',
    apply: set('progress', true),
    // Given explicitly, it also turns relaysync's live view off.
    unset: (s) => {
      s.options.progress = false;
      s.relay.noProgress = true;
    },
  }),
  supported({
    long: [],
    short: 'P',
    help: 'same as --partial --progress',
    group: 'output',
    apply: (s) => {
      s.options.keepPartial = true;
      s.options.progress = true;
    },
  }),
  supported({
    long: ['itemize-changes'],
    short: 'i',
    no: ['no-itemize-changes', 'no-i'],
    help: 'print a summary of the changes made to each file; -ii also for unchanged ones',
    group: 'output',
    apply: increment('itemizeChanges'),
    unset: reset('itemizeChanges'),
  }),
  supported({
    long: ['out-format', 'log-format'],
    arg: text('FORMAT'),
    help: 'print each update in FORMAT',
    group: 'output',
    apply: (s, value) => {
      s.options.stdoutFormat = given(value);
    },
    // What the client prints decides what a server receiver reports back to it:
    // itemized changes, only the operation, or (logging names itself) nothing.
    server: { to: 'dest', args: { slot: 'log-format', of: (o) => optional(serverLogFormat(o), (f) => `--log-format=${f}`) } },
  }),
  supported({
    long: ['log-file'],
    arg: text('FILE'),
    help: 'log what happens to FILE',
    group: 'output',
    apply: (s, value) => {
      s.options.logfileName = given(value);
    },
  }),
  supported({
    long: ['log-file-format'],
    arg: text('FORMAT'),
    help: 'log each update to the log file in FORMAT',
    group: 'output',
    apply: (s, value) => {
      s.pending.logfileFormat = given(value);
    },
  }),
  supported({
    long: ['list-only'],
    help: 'list the files instead of copying them',
    group: 'output',
    apply: (s) => {
      s.options.listOnly = 2;
    },
    server: { to: 'both', args: argWhen('list-only', (o) => o.listOnly > 1, '--list-only') },
  }),
  refused(OUTPUT, { long: ['outbuf'], arg: text('N|L|B'), help: 'buffer standard output by none, line or block' }),
  supported({
    long: ['json'],
    help: "print the run as JSON events on stdout, one a line, instead of rsync's lines (README describes them)",
    group: 'output',
    apply: (s) => {
      s.relay.json = true;
    },
  }),
  supported({
    long: ['log-json'],
    arg: text('FILE'),
    help: "write relaysync's log of the run to FILE as JSON lines: connections, server commands, handshake, files, messages, summary",
    group: 'output',
    apply: (s, value) => {
      s.relay.logJson = notEmpty('log-json', value!, 'a file name');
    },
  }),
  supported({
    long: ['log-json-level'],
    arg: text('LEVEL'),
    help: `how much --log-json writes: ${LOG_LEVELS.join(', ')} (default info; trace adds every protocol frame)`,
    group: 'output',
    apply: (s, value) => {
      const level = LOG_LEVELS.find((l) => l === value);
      if (level === undefined) throw new CliError(`--log-json-level=${value}: the level is one of ${LOG_LEVELS.join(', ')}`);
      s.relay.logJsonLevel = level;
    },
  }),

  // ---- what to copy
  supported({
    long: ['archive'],
    short: 'a',
    help: 'archive mode: same as -rlptgoD (not -A, -X, -U, -N or -H)',
    group: 'what',
    apply: (s) => {
      const o = s.options;
      // -a's recursion is the implied kind: --files-from turns it off again, not an explicit -r.
      if (o.recurse === 0) o.recurse = 1;
      o.preserveLinks = o.preservePerms = o.preserveMtimes = true;
      o.preserveGid = o.preserveUid = o.preserveDevices = o.preserveSpecials = true;
    },
  }),
  supported({
    long: ['recursive'],
    short: 'r',
    no: ['no-recursive', 'no-r'],
    help: 'copy directories and everything in them',
    group: 'what',
    apply: (s) => {
      s.options.recurse = 2;
    },
    unset: (s) => {
      s.options.recurse = 0;
    },
    server: { to: 'both', letters: once('r', (o) => o.recurse > 0) },
  }),
  supported({
    long: ['inc-recursive', 'i-r'],
    no: ['no-inc-recursive', 'no-i-r'],
    help: 'let the servers send the file list in pieces while copying (the default)',
    group: 'what',
    apply: set('allowIncRecurse', true),
    unset: set('allowIncRecurse', false),
  }),
  supported({
    long: ['dirs'],
    short: 'd',
    no: ['no-dirs', 'no-d'],
    help: 'copy directories without what is in them',
    group: 'what',
    apply: (s) => {
      s.pending.xferDirs = 2;
    },
    unset: (s) => {
      s.pending.xferDirs = 0;
    },
    server: {
      to: 'both',
      // -d itself, or what makes rsync imply it to a server: listing, or deleting without -r.
      letters: (o, c) => {
        const implied = o.xferDirs > 0 && o.recurse === 0 && (o.listOnly > 0 || (o.deleteMode && c.side === 'dest'));
        return o.xferDirs === 2 || implied ? 'd' : '';
      },
      // An rsync that knows --no-r can delete with -d alone.
      args: argWhen('no-r', (o, c) => o.xferDirs > 0 && o.recurse === 0 && o.deleteMode && c.side === 'dest', '--no-r'),
    },
  }),
  supported({
    long: ['old-dirs', 'old-d'],
    help: '--dirs the way an old rsync understands it (-r with the rule - /*/*)',
    group: 'what',
    apply: (s) => {
      s.pending.xferDirs = 4;
    },
  }),
  supported({
    long: ['relative'],
    short: 'R',
    no: ['no-relative', 'no-R'],
    help: 'keep the source path names at the destination',
    group: 'what',
    apply: (s) => {
      s.pending.relativePaths = true;
    },
    unset: (s) => {
      s.pending.relativePaths = false;
    },
    server: { to: 'both', letters: letter('R', 'relativePaths') },
  }),
  supported({
    long: ['implied-dirs', 'i-d'],
    no: ['no-implied-dirs', 'no-i-d'],
    help: 'with -R, also send the directories that lead to each path (the default)',
    group: 'what',
    apply: (s) => {
      s.pending.impliedDirs = true;
    },
    unset: (s) => {
      s.pending.impliedDirs = false;
    },
    // rsync tells an old server receiver nothing: it would not know the option.
    server: {
      to: 'both',
      args: argWhen(
        'no-implied-dirs',
        (o, c) => o.relativePaths && !o.impliedDirs && (c.side === 'source' || (o.protocol ?? PROTOCOL_MAX) >= 30),
        '--no-implied-dirs',
      ),
    },
  }),
  supported({
    long: ['mkpath'],
    no: ['no-mkpath'],
    help: 'create the missing directories of DEST',
    group: 'what',
    apply: set('mkpathDestArg', true),
    unset: set('mkpathDestArg', false),
    server: { to: 'dest', args: flagArg('mkpath', 'mkpathDestArg', '--mkpath') },
  }),
  supported({
    long: ['links'],
    short: 'l',
    no: ['no-links', 'no-l'],
    help: 'copy symlinks as symlinks',
    group: 'what',
    apply: set('preserveLinks', true),
    unset: set('preserveLinks', false),
    server: { to: 'both', letters: letter('l', 'preserveLinks') },
  }),
  supported({
    long: ['copy-links'],
    short: 'L',
    help: 'copy what symlinks point to instead of the links',
    group: 'what',
    apply: set('copyLinks', true),
    // The sender is the one that follows the links.
    server: { to: 'source', letters: letter('L', 'copyLinks') },
  }),
  supported({
    long: ['copy-unsafe-links'],
    help: 'copy what symlinks point to when it is outside the tree',
    group: 'what',
    apply: set('copyUnsafeLinks', true),
    server: { to: 'both', args: flagArg('copy-unsafe-links', 'copyUnsafeLinks', '--copy-unsafe-links') },
  }),
  supported({
    long: ['safe-links'],
    help: 'leave out symlinks that point outside the tree',
    group: 'what',
    apply: set('safeSymlinks', true),
    server: { to: 'both', args: flagArg('safe-links', 'safeSymlinks', '--safe-links') },
  }),
  refused(CLIENT_SIDE, {
    long: ['insecure-links'],
    no: ['no-insecure-links'],
    help: 'follow symlinks owned by other users in paths given to rsync',
  }),
  refused(CLIENT_SIDE, { long: ['confine-root'], arg: text('DIR'), help: 'refuse paths given to rsync that resolve outside DIR' }),
  supported({
    long: ['munge-links'],
    no: ['no-munge-links'],
    help: 'store symlinks in a form that cannot be followed',
    group: 'what',
    apply: set('mungeSymlinks', true),
    unset: set('mungeSymlinks', false),
    // rsync sends it to no server (users write -M--munge-links for the remote side): its
    // sending client unmunges links itself, so relaysync's sender is told.
    server: { to: 'source', args: argWhen('munge-links', (o) => o.mungeSymlinks, '--munge-links') },
  }),
  supported({
    long: ['copy-dirlinks'],
    short: 'k',
    help: 'copy symlinks to directories as directories',
    group: 'what',
    apply: set('copyDirlinks', true),
    server: { to: 'source', letters: letter('k', 'copyDirlinks') },
  }),
  supported({
    long: ['keep-dirlinks'],
    short: 'K',
    help: 'treat a symlink to a directory at DEST as that directory',
    group: 'what',
    apply: set('keepDirlinks', true),
    server: { to: 'dest', letters: letter('K', 'keepDirlinks') },
  }),
  supported({
    long: ['one-file-system'],
    short: 'x',
    no: ['no-one-file-system', 'no-x'],
    help: 'stay on one file system; -xx also skips mount points',
    group: 'what',
    apply: increment('oneFileSystem'),
    unset: reset('oneFileSystem'),
    server: { to: 'both', letters: (o) => 'x'.repeat(Math.min(o.oneFileSystem, 2)) },
  }),
  supported({
    long: ['update'],
    short: 'u',
    help: 'skip files that are newer at the destination',
    group: 'what',
    apply: set('updateOnly', true),
    server: { to: 'both', letters: letter('u', 'updateOnly') },
  }),
  supported({
    long: ['existing', 'ignore-non-existing'],
    help: 'update only files that exist at the destination',
    group: 'what',
    apply: set('ignoreNonExisting', true),
    // Old servers know only the short name.
    server: { to: 'dest', args: flagArg('existing', 'ignoreNonExisting', '--existing') },
  }),
  supported({
    long: ['ignore-existing'],
    help: 'skip files that exist at the destination',
    group: 'what',
    apply: set('ignoreExisting', true),
    server: { to: 'dest', args: flagArg('ignore-existing', 'ignoreExisting', '--ignore-existing') },
  }),
  supported({
    long: ['max-size'],
    arg: text('SIZE'),
    help: 'skip files larger than SIZE (K, M, G, ...; KB for 1000s)',
    group: 'what',
    apply: (s, value) => {
      s.options.maxSize = parseSize(given(value), 'max-size', { defaultUnit: 'b', min: 0n, zeroIsUnlimited: false });
    },
    server: { to: 'dest', args: { slot: 'max-size', of: (o) => optional(o.maxSize, (n) => `--max-size=${n}`) } },
  }),
  supported({
    long: ['min-size'],
    arg: text('SIZE'),
    help: 'skip files smaller than SIZE',
    group: 'what',
    apply: (s, value) => {
      s.options.minSize = parseSize(given(value), 'min-size', { defaultUnit: 'b', min: 0n, zeroIsUnlimited: false });
    },
    server: { to: 'dest', args: { slot: 'min-size', of: (o) => optional(o.minSize, (n) => `--min-size=${n}`) } },
  }),
  supported({
    long: ['files-from'],
    arg: text('FILE'),
    help: 'copy the files named in FILE (- for standard input, HOST:FILE for a file on either host)',
    group: 'what',
    apply: (s, value) => {
      s.pending.filesFrom = given(value);
    },
    server: {
      to: 'both',
      args: {
        slot: 'files-from',
        of: (o, c) => {
          if (o.filesFrom === undefined) return [];
          const onThisHost = o.filesfromHost !== undefined && c.filesFromOn === c.side;
          // The source server reads the names from its own host or from relaysync, NUL-ended;
          // the destination server only reads a list on its own host.
          if (!onThisHost && c.side === 'dest') return [];
          const list = onThisHost ? ['--files-from', o.filesFrom, ...(o.eolNulls ? ['--from0'] : [])] : ['--files-from=-', '--from0'];
          return [...list, ...(o.relativePaths ? [] : ['--no-relative'])];
        },
      },
    },
  }),
  supported({
    long: ['from0'],
    short: '0',
    no: ['no-from0'],
    help: 'names in --files-from and rule files end with a NUL byte',
    group: 'what',
    apply: set('eolNulls', true),
    unset: set('eolNulls', false),
  }),
  supported({
    long: ['ignore-missing-args'],
    help: 'do not complain about SRC paths that do not exist',
    group: 'what',
    apply: (s) => {
      s.options.missingArgs |= 1;
    },
    // The sender handles it alone.
    server: { to: 'source', args: argWhen('missing-args', (o) => o.missingArgs === 1, '--ignore-missing-args') },
  }),
  supported({
    long: ['delete-missing-args'],
    help: 'delete at the destination what a missing SRC path names',
    group: 'delete',
    apply: (s) => {
      s.options.missingArgs |= 2;
    },
    server: { to: 'both', args: argWhen('missing-args', (o) => o.missingArgs === 2, '--delete-missing-args') },
  }),
  supported({
    long: ['remove-source-files'],
    help: 'delete source files once they are copied (not directories)',
    group: 'what',
    apply: (s) => {
      s.options.removeSourceFiles = 1;
    },
    server: { to: 'both', args: argWhen('remove-source-files', (o) => o.removeSourceFiles === 1, '--remove-source-files') },
  }),
  supported({
    long: ['remove-sent-files'],
    help: 'older form of --remove-source-files',
    group: 'what',
    apply: (s) => {
      s.options.removeSourceFiles = 2;
    },
    server: { to: 'both', args: argWhen('remove-source-files', (o) => o.removeSourceFiles === 2, '--remove-sent-files') },
  }),

  // ---- metadata
  supported({
    long: ['perms'],
    short: 'p',
    no: ['no-perms', 'no-p'],
    help: 'keep permissions',
    group: 'metadata',
    apply: set('preservePerms', true),
    unset: set('preservePerms', false),
    server: { to: 'both', letters: letter('p', 'preservePerms') },
  }),
  supported({
    long: ['executability'],
    short: 'E',
    help: 'keep whether files are executable',
    group: 'metadata',
    apply: set('preserveExecutability', true),
    // -p already carries it.
    server: { to: 'dest', letters: once('E', (o) => o.preserveExecutability && !o.preservePerms) },
  }),
  supported({
    long: ['chmod'],
    arg: text('CHMOD'),
    help: 'change permissions on the way ([D|F][ugoa](+|-|=)PERMS or an octal mode, comma-separated)',
    group: 'metadata',
    apply: (s, value) => {
      if (!validChmod(given(value))) throw new CliError(`Invalid argument passed to --chmod (${value})`);
      s.options.chmod.push(value!);
    },
    // rsync tells no server: its client changes the modes in the file list it sends. The
    // source server is relaysync's sender, so it is told, and changes them as rsync's client would.
    server: { to: 'source', args: { slot: 'chmod', of: (o) => o.chmod.map((mode) => `--chmod=${mode}`) } },
  }),
  supported({
    long: ['acls'],
    short: 'A',
    no: ['no-acls', 'no-A'],
    help: 'keep ACLs (implies -p)',
    group: 'metadata',
    apply: (s) => {
      s.options.preserveAcls = s.options.preservePerms = true;
    },
    unset: set('preserveAcls', false),
    server: { to: 'both', letters: letter('A', 'preserveAcls') },
  }),
  supported({
    long: ['xattrs'],
    short: 'X',
    no: ['no-xattrs', 'no-X'],
    help: 'keep extended attributes; -XX also rsync-internal ones',
    group: 'metadata',
    apply: increment('preserveXattrs'),
    unset: reset('preserveXattrs'),
    server: { to: 'both', letters: (o) => 'X'.repeat(Math.min(o.preserveXattrs, 2)) },
  }),
  supported({
    long: ['owner'],
    short: 'o',
    no: ['no-owner', 'no-o'],
    help: 'keep the owner (needs root at the destination)',
    group: 'metadata',
    apply: set('preserveUid', true),
    unset: set('preserveUid', false),
    server: { to: 'both', letters: letter('o', 'preserveUid') },
  }),
  supported({
    long: ['group'],
    short: 'g',
    no: ['no-group', 'no-g'],
    help: 'keep the group',
    group: 'metadata',
    apply: set('preserveGid', true),
    unset: set('preserveGid', false),
    server: { to: 'both', letters: letter('g', 'preserveGid') },
  }),
  supported({
    long: ['devices'],
    no: ['no-devices'],
    help: 'copy device files (needs root at the destination)',
    group: 'metadata',
    apply: set('preserveDevices', true),
    unset: set('preserveDevices', false),
    server: { to: 'both', letters: letter('D', 'preserveDevices') },
  }),
  supported({
    long: ['specials'],
    no: ['no-specials'],
    help: 'copy special files such as sockets and FIFOs',
    group: 'metadata',
    apply: set('preserveSpecials', true),
    unset: set('preserveSpecials', false),
    // The letter D carries both; old servers know no --devices, so rsync
    // corrects D with --no-specials, or sends --specials alone.
    server: {
      to: 'both',
      args: {
        slot: 'specials',
        of: (o) => {
          if (o.preserveDevices) return o.preserveSpecials ? [] : ['--no-specials'];
          return o.preserveSpecials ? ['--specials'] : [];
        },
      },
    },
  }),
  supported({
    long: [],
    short: 'D',
    no: ['no-D'],
    help: 'same as --devices --specials',
    group: 'metadata',
    apply: (s) => {
      s.options.preserveDevices = s.options.preserveSpecials = true;
    },
    unset: (s) => {
      s.options.preserveDevices = s.options.preserveSpecials = false;
    },
  }),
  supported({
    long: ['copy-devices'],
    help: 'copy what a device holds as a regular file',
    group: 'metadata',
    apply: set('copyDevices', true),
    server: { to: 'source', args: flagArg('copy-devices', 'copyDevices', '--copy-devices') },
  }),
  supported({
    long: ['write-devices'],
    no: ['no-write-devices'],
    help: 'write into existing devices at the destination (implies --inplace)',
    group: 'metadata',
    apply: set('writeDevices', true),
    unset: set('writeDevices', false),
    server: { to: 'dest', args: flagArg('write-devices', 'writeDevices', '--write-devices') },
  }),
  refused(CLIENT_SIDE, { long: ['drop-D'], no: ['no-drop-D'], help: 'let the receiver refuse to create devices and specials' }),
  supported({
    long: ['times'],
    short: 't',
    no: ['no-times', 'no-t'],
    help: 'keep modification times',
    group: 'metadata',
    apply: set('preserveMtimes', true),
    unset: set('preserveMtimes', false),
    server: { to: 'both', letters: letter('t', 'preserveMtimes') },
  }),
  supported({
    long: ['atimes'],
    short: 'U',
    no: ['no-atimes', 'no-U'],
    help: 'keep access times; -UU also leaves them alone when reading',
    group: 'metadata',
    apply: (s) => {
      if (++s.options.preserveAtimes > 1) s.options.openNoatime = true;
    },
    unset: (s) => {
      s.options.preserveAtimes = 0;
    },
    server: { to: 'both', letters: (o) => 'U'.repeat(Math.min(o.preserveAtimes, 2)) },
  }),
  supported({
    long: ['open-noatime'],
    no: ['no-open-noatime'],
    help: 'open files without changing their access time',
    group: 'metadata',
    apply: set('openNoatime', true),
    unset: set('openNoatime', false),
    // -UU says it already.
    server: { to: 'both', args: argWhen('open-noatime', (o) => o.openNoatime && o.preserveAtimes <= 1, '--open-noatime') },
  }),
  supported({
    long: ['crtimes'],
    short: 'N',
    no: ['no-crtimes', 'no-N'],
    help: 'keep creation times (where both servers can)',
    group: 'metadata',
    apply: set('preserveCrtimes', true),
    unset: set('preserveCrtimes', false),
    server: { to: 'both', letters: letter('N', 'preserveCrtimes') },
  }),
  supported({
    long: ['omit-dir-times'],
    short: 'O',
    no: ['no-omit-dir-times', 'no-O'],
    help: 'do not keep the times of directories',
    group: 'metadata',
    apply: (s) => {
      s.options.omitDirTimes = 1;
    },
    unset: (s) => {
      s.options.omitDirTimes = 0;
    },
    // -b without --backup-dir implies it and rsync then sends nothing.
    server: { to: 'dest', letters: once('O', (o) => o.omitDirTimes > 0) },
  }),
  supported({
    long: ['omit-link-times'],
    short: 'J',
    no: ['no-omit-link-times', 'no-J'],
    help: 'do not keep the times of symlinks',
    group: 'metadata',
    apply: set('omitLinkTimes', true),
    unset: set('omitLinkTimes', false),
    server: { to: 'dest', letters: letter('J', 'omitLinkTimes') },
  }),
  supported({
    long: ['super'],
    no: ['no-super'],
    help: 'let the receiver act as root',
    group: 'metadata',
    apply: (s) => {
      s.options.amRoot = 2;
    },
    unset: (s) => {
      s.options.amRoot = 0;
    },
    server: { to: 'dest', args: argWhen('super', (o) => o.amRoot > 1, '--super') },
  }),
  supported({
    long: ['fake-super'],
    help: 'keep owner, devices and modes in extended attributes',
    group: 'metadata',
    apply: (s) => {
      s.options.amRoot = -1;
    },
    // rsync tells no server (users write -M--fake-super for the remote side): its
    // sending client reads the faked attributes itself, so relaysync's sender is told.
    server: { to: 'source', args: argWhen('fake-super', (o) => o.amRoot < 0, '--fake-super') },
  }),
  supported({
    long: ['hard-links'],
    short: 'H',
    no: ['no-hard-links', 'no-H'],
    help: 'keep hard links',
    group: 'metadata',
    apply: increment('preserveHardLinks'),
    unset: reset('preserveHardLinks'),
    server: { to: 'both', letters: (o) => 'H'.repeat(Math.min(o.preserveHardLinks, 2)) },
  }),
  supported({
    long: ['numeric-ids'],
    no: ['no-numeric-ids'],
    help: 'keep user and group ids as numbers, not by name',
    group: 'metadata',
    apply: set('numericIds', true),
    unset: set('numericIds', false),
    server: { to: 'both', args: flagArg('numeric-ids', 'numericIds', '--numeric-ids') },
  }),
  supported({
    long: ['usermap'],
    arg: text('STRING'),
    help: 'map user names on the way (FROM:TO,...)',
    group: 'metadata',
    apply: (s, value) => setIdMap(s, 'user', given(value), false),
    // The receiver maps; it also checks the map.
    server: { to: 'dest', args: { slot: 'usermap', of: (o) => optional(o.usermap, (m) => `--usermap=${m}`) } },
  }),
  supported({
    long: ['groupmap'],
    arg: text('STRING'),
    help: 'map group names on the way (FROM:TO,...)',
    group: 'metadata',
    apply: (s, value) => setIdMap(s, 'group', given(value), false),
    server: { to: 'dest', args: { slot: 'groupmap', of: (o) => optional(o.groupmap, (m) => `--groupmap=${m}`) } },
  }),
  supported({
    long: ['chown'],
    arg: text('USER:GROUP'),
    help: 'give every file this owner and group (same as --usermap=*:USER --groupmap=*:GROUP)',
    group: 'metadata',
    apply: (s, value) => {
      const [user, group] = splitOnce(given(value), ':');
      if (user !== '') setIdMap(s, 'user', `*:${user}`, true);
      if (group !== undefined && group !== '') setIdMap(s, 'group', `*:${group}`, true);
    },
  }),
  refused(CLIENT_SIDE, { long: ['copy-as'], arg: text('USER[:GROUP]'), help: 'run the copy as this user and group' }),

  // ---- deleting and filtering
  supported({
    long: ['delete'],
    help: 'delete files at the destination that the source does not have',
    group: 'delete',
    apply: set('deleteMode', true),
    // The receiver deletes, so only it needs to know; a --delete-WHEN or
    // --delete-excluded says it already.
    server: {
      to: 'dest',
      args: argWhen('delete', (o) => o.deleteMode && !o.deleteBefore && o.deleteDuring === 0 && !o.deleteAfter && !o.deleteExcluded, '--delete'),
    },
  }),
  supported({
    long: ['delete-before'],
    help: 'delete before copying',
    group: 'delete',
    apply: set('deleteBefore', true),
    server: { to: 'dest', args: flagArg('delete', 'deleteBefore', '--delete-before') },
  }),
  supported({
    long: ['delete-during', 'del'],
    help: 'delete while copying',
    group: 'delete',
    apply: (s) => {
      s.options.deleteDuring = 1;
    },
    server: { to: 'dest', args: argWhen('delete', (o) => o.deleteDuring === 1, '--delete-during') },
  }),
  supported({
    long: ['delete-delay'],
    help: 'find what to delete while copying, delete at the end',
    group: 'delete',
    apply: (s) => {
      s.options.deleteDuring = 2;
    },
    server: { to: 'dest', args: argWhen('delete', (o) => o.deleteDuring === 2, '--delete-delay') },
  }),
  supported({
    long: ['delete-after'],
    help: 'delete after copying',
    group: 'delete',
    apply: set('deleteAfter', true),
    server: { to: 'dest', args: flagArg('delete', 'deleteAfter', '--delete-after') },
  }),
  supported({
    long: ['delete-excluded'],
    help: 'also delete excluded files at the destination (implies --delete)',
    group: 'delete',
    apply: set('deleteExcluded', true),
    server: { to: 'dest', args: flagArg('delete-excluded', 'deleteExcluded', '--delete-excluded') },
  }),
  supported({
    long: ['ignore-errors'],
    no: ['no-ignore-errors'],
    help: 'delete even after I/O errors',
    group: 'delete',
    apply: set('ignoreErrors', true),
    unset: set('ignoreErrors', false),
    server: { to: 'both', args: flagArg('ignore-errors', 'ignoreErrors', '--ignore-errors') },
  }),
  supported({
    long: ['force'],
    no: ['no-force'],
    help: 'delete directories even when not empty',
    group: 'delete',
    apply: set('forceDelete', true),
    unset: set('forceDelete', false),
    server: { to: 'dest', args: flagArg('force', 'forceDelete', '--force') },
  }),
  supported({
    long: ['max-delete'],
    arg: text('NUM'),
    help: 'delete at most NUM files (0: none)',
    group: 'delete',
    apply: (s, value, typed) => {
      // rsync's "not given" is INT_MIN, so giving that is the same as not giving it.
      const n = poptInt(given(value), typed);
      s.pending.maxDelete = n === -(2 ** 31) ? undefined : n;
    },
    // Old servers read 0 as "no limit", so "none" goes as -1.
    server: {
      to: 'dest',
      args: { slot: 'max-delete', of: (o) => optional(o.maxDelete, (n) => `--max-delete=${n > 0 ? n : -1}`) },
    },
  }),
  supported({
    long: ['exclude'],
    arg: text('PATTERN'),
    help: 'leave out files that match PATTERN',
    group: 'delete',
    // Filter rules travel in the protocol, not on the command lines.
    apply: (s, value) => addFilter(s, 'exclude', given(value)),
  }),
  supported({
    long: ['include'],
    arg: text('PATTERN'),
    help: 'do not leave out files that match PATTERN',
    group: 'delete',
    apply: (s, value) => addFilter(s, 'include', given(value)),
  }),
  supported({
    long: ['filter'],
    short: 'f',
    arg: text('RULE'),
    help: 'add a filter rule (exclude, include, hide, show, protect, risk, merge, dir-merge, clear)',
    group: 'delete',
    apply: (s, value) => addFilter(s, 'filter', given(value)),
  }),
  supported({
    long: [],
    short: 'F',
    help: 'read filter rules from .rsync-filter files; -FF also leaves them out',
    group: 'delete',
    apply: (s) => {
      const count = ++s.pending.filterFileCount;
      if (count <= 2) addFilter(s, 'filter', count === 1 ? ': /.rsync-filter' : '- .rsync-filter');
    },
  }),
  supported({
    long: ['exclude-from'],
    arg: text('FILE'),
    help: 'read exclude patterns from FILE (- for standard input)',
    group: 'delete',
    apply: (s, value) => addFilter(s, 'exclude-from', given(value)),
  }),
  supported({
    long: ['include-from'],
    arg: text('FILE'),
    help: 'read include patterns from FILE (- for standard input)',
    group: 'delete',
    apply: (s, value) => addFilter(s, 'include-from', given(value)),
  }),
  supported({
    long: ['cvs-exclude'],
    short: 'C',
    help: 'leave out what CVS would ignore',
    group: 'delete',
    apply: set('cvsExclude', true),
    // A server adds CVS's rules on its side too.
    server: { to: 'both', letters: letter('C', 'cvsExclude') },
  }),
  supported({
    long: ['prune-empty-dirs'],
    short: 'm',
    no: ['no-prune-empty-dirs', 'no-m'],
    help: 'leave out directories that end up empty',
    group: 'delete',
    apply: set('pruneEmptyDirs', true),
    unset: set('pruneEmptyDirs', false),
    server: { to: 'dest', letters: letter('m', 'pruneEmptyDirs') },
  }),

  // ---- backups, partial files and other bases
  supported({
    long: ['backup'],
    short: 'b',
    no: ['no-backup'],
    help: 'keep a backup of each file replaced or deleted',
    group: 'backup',
    apply: set('makeBackups', true),
    unset: set('makeBackups', false),
    server: { to: 'both', letters: letter('b', 'makeBackups') },
  }),
  supported({
    long: ['backup-dir'],
    arg: text('DIR'),
    help: 'keep backups under DIR (implies -b)',
    group: 'backup',
    apply: (s, value) => {
      s.pending.backupDir = given(value);
    },
    // Apart from its option, so that the remote shell can expand a leading ~.
    server: { to: 'both', args: { slot: 'backup-dir', of: (o) => (o.backupDir === undefined ? [] : ['--backup-dir', o.backupDir]) } },
  }),
  supported({
    long: ['suffix'],
    arg: text('SUFFIX'),
    help: 'name backups with SUFFIX (default ~, none with --backup-dir)',
    group: 'backup',
    apply: (s, value) => {
      s.pending.backupSuffix = given(value);
    },
    server: {
      to: 'both',
      args: argWhenValue('suffix', (o) => (o.backupSuffix !== (o.backupDir === undefined ? '~' : '') ? `--suffix=${o.backupSuffix}` : undefined)),
    },
  }),
  supported({
    long: ['partial'],
    no: ['no-partial'],
    help: 'keep partly copied files to resume later',
    group: 'backup',
    apply: set('keepPartial', true),
    unset: set('keepPartial', false),
    // A partial directory says it already.
    server: { to: 'dest', args: argWhen('partial', (o) => o.keepPartial && o.partialDir === undefined && !o.delayUpdates, '--partial') },
  }),
  supported({
    long: ['partial-dir'],
    arg: text('DIR'),
    help: 'keep partly copied files in DIR (implies --partial)',
    group: 'backup',
    apply: (s, value) => {
      s.pending.partialDir = given(value);
    },
    server: { to: 'dest', args: { slot: 'partial-dir', of: (o) => (o.partialDir === undefined ? [] : ['--partial-dir', o.partialDir]) } },
  }),
  supported({
    long: ['delay-updates'],
    no: ['no-delay-updates'],
    help: 'put all updated files in place at the end',
    group: 'backup',
    apply: set('delayUpdates', true),
    unset: set('delayUpdates', false),
    server: { to: 'dest', args: flagArg('delay-updates', 'delayUpdates', '--delay-updates') },
  }),
  supported({
    long: ['inplace'],
    no: ['no-inplace'],
    help: 'write updates straight into the destination files',
    group: 'backup',
    apply: set('inplace', true),
    unset: set('inplace', false),
    server: {
      to: 'both',
      // Old servers mishandle --inplace --sparse with deltas: rsync spells out --no-W.
      args: {
        slot: 'inplace',
        of: (o, c) => {
          if (!o.inplace || o.appendMode > 0) return [];
          return ['--inplace', ...(o.sparseFiles && o.wholeFile === 0 && c.side === 'dest' ? ['--no-W'] : [])];
        },
      },
    },
  }),
  supported({
    long: ['append'],
    no: ['no-append'],
    help: 'append to destination files that are shorter (implies --inplace)',
    group: 'backup',
    apply: (s) => {
      s.options.appendMode = 1;
    },
    unset: (s) => {
      s.options.appendMode = 0;
    },
    // A server reads --append twice as --append-verify.
    server: { to: 'both', args: { slot: 'inplace', of: (o) => Array<string>(o.appendMode).fill('--append') } },
  }),
  supported({
    long: ['append-verify'],
    help: 'like --append, then check the whole file',
    group: 'backup',
    apply: (s) => {
      s.options.appendMode = 2;
    },
  }),
  supported({
    long: ['temp-dir'],
    short: 'T',
    arg: text('DIR'),
    help: 'write temporary files in DIR',
    group: 'backup',
    apply: (s, value) => {
      s.options.tmpdir = given(value);
    },
    server: { to: 'dest', args: { slot: 'temp-dir', of: (o) => (o.tmpdir === undefined ? [] : ['--temp-dir', o.tmpdir]) } },
  }),
  supported({
    long: ['fuzzy'],
    short: 'y',
    no: ['no-fuzzy', 'no-y'],
    help: 'use a similar file as the basis when the file is new; -yy also in the --*-dest dirs',
    group: 'backup',
    apply: increment('fuzzyBasis'),
    unset: reset('fuzzyBasis'),
    server: { to: 'dest', letters: (o) => 'y'.repeat(Math.min(o.fuzzyBasis, 2)) },
  }),
  ...(['compare-dest', 'copy-dest', 'link-dest'] as const).map((type) =>
    supported({
      long: [type],
      arg: text('DIR'),
      help: {
        'compare-dest': 'also compare with the files in DIR (up to 20)',
        'copy-dest': 'like --compare-dest, and copy unchanged files from DIR',
        'link-dest': 'hard-link unchanged files from DIR',
      }[type],
      group: 'backup',
      apply: (s, value) => addBasisDir(s, type, given(value)),
      server: {
        to: 'dest',
        args: { slot: 'basis-dirs', of: (o) => (o.altDestType === type ? o.basisDirs.flatMap((d) => [`--${type}`, d]) : []) },
      },
    }),
  ),

  // ---- how to transfer
  supported({
    long: ['dry-run'],
    short: 'n',
    help: 'show what would happen without changing anything',
    group: 'transfer',
    apply: set('dryRun', true),
    server: { to: 'both', letters: letter('n', 'dryRun') },
  }),
  supported({
    long: ['checksum'],
    short: 'c',
    no: ['no-checksum', 'no-c'],
    help: 'decide what to update by checksum, not by time and size',
    group: 'transfer',
    apply: set('alwaysChecksum', true),
    unset: set('alwaysChecksum', false),
    server: { to: 'both', letters: letter('c', 'alwaysChecksum') },
  }),
  supported({
    long: ['checksum-choice', 'cc'],
    arg: text('STR'),
    help: 'choose the checksum: xxh128, xxh3, xxh64, md5, md4, sha1, none or auto (XFER,FILE for two)',
    group: 'transfer',
    apply: (s, value) => {
      s.pending.checksumChoice = given(value);
    },
    server: { to: 'both', args: { slot: 'checksum-choice', of: (o) => optional(o.checksumChoice, (c) => `--checksum-choice=${c}`) } },
  }),
  supported({
    long: ['whole-file'],
    short: 'W',
    no: ['no-whole-file', 'no-W'],
    help: 'send whole files instead of differences',
    group: 'transfer',
    apply: (s) => {
      s.options.wholeFile = 1;
    },
    // --no-W is not sent: deltas are the default between hosts, and old
    // servers do not know the option.
    unset: (s) => {
      s.options.wholeFile = 0;
    },
    server: { to: 'both', letters: (o) => (o.wholeFile === 1 ? 'W' : '') },
  }),
  supported({
    long: ['block-size'],
    short: 'B',
    arg: text('SIZE'),
    help: 'use a fixed checksum block size',
    group: 'transfer',
    apply: (s, value) => {
      // rsync checks the limit of the --protocol given so far.
      const max = (s.options.protocol ?? PROTOCOL_MAX) < 30 ? 1n << 29n : 1n << 17n;
      s.options.blockSize = Number(parseSize(given(value), 'block-size', { defaultUnit: 'b', min: 0n, max, zeroIsUnlimited: false }));
    },
    server: { to: 'both', args: argWhenValue('block-size', (o) => (o.blockSize > 0 ? `-B${o.blockSize}` : undefined)) },
  }),
  supported({
    long: ['compress'],
    short: 'z',
    no: ['no-compress', 'no-z'],
    help: 'compress file data on the way (the servers choose how; -zz means zlibx)',
    group: 'transfer',
    apply: (s) => {
      s.pending.compressCount++;
    },
    unset: (s) => {
      s.pending.compressCount = 0;
      s.pending.compressChoice = undefined;
    },
    server: { to: 'both', letters: once('z', compressesWithZ) },
  }),
  supported({
    long: ['old-compress'],
    help: 'compress with zlib',
    group: 'transfer',
    apply: (s) => {
      s.pending.compressChoice = 'zlib';
    },
  }),
  supported({
    long: ['new-compress'],
    help: 'compress with zlibx',
    group: 'transfer',
    apply: (s) => {
      s.pending.compressChoice = 'zlibx';
    },
  }),
  supported({
    long: ['compress-choice', 'zc'],
    arg: text('STR'),
    help: 'choose the compression: zstd, lz4, zlibx, zlib, none or auto',
    group: 'transfer',
    apply: (s, value) => {
      s.pending.compressChoice = given(value);
    },
    server: {
      to: 'both',
      args: {
        slot: 'compress-choice',
        of: (o) => {
          const choice = o.compressChoice;
          if (choice === undefined) return [];
          // Old servers know these two spellings.
          if (o.compress && choice.toLowerCase() === 'zlibx') return ['--new-compress'];
          if (o.compress && !o.compressImplied && choice.toLowerCase() === 'zlib') return ['--old-compress'];
          return [`--compress-choice=${choice}`];
        },
      },
    },
  }),
  supported({
    long: ['compress-level', 'zl'],
    arg: text('NUM'),
    help: 'choose the compression level (implies -z)',
    group: 'transfer',
    apply: (s, value, typed) => {
      // rsync's "not given" is INT_MIN.
      const n = poptInt(given(value), typed);
      s.pending.compressLevel = n === -(2 ** 31) ? undefined : n;
    },
    server: {
      to: 'both',
      args: { slot: 'compress-level', of: (o) => (o.compress ? optional(o.compressLevel, (n) => `--compress-level=${n}`) : []) },
    },
  }),
  refused('rsync sends it to no server, and relaysync compresses nothing itself', {
    long: ['compress-threads', 'zt'],
    arg: text('NUM'),
    help: 'compress with NUM threads',
  }),
  supported({
    long: ['skip-compress'],
    arg: text('LIST'),
    help: 'do not compress files with these suffixes (LIST: suffixes separated by /)',
    group: 'transfer',
    apply: (s, value) => {
      s.options.skipCompress = given(value);
    },
    // The sender compresses.
    server: { to: 'source', args: { slot: 'skip-compress', of: (o) => optional(o.skipCompress, (l) => `--skip-compress=${l}`) } },
  }),
  supported({
    long: ['protocol'],
    arg: text('NUM'),
    help: `offer at most protocol NUM to both servers (${PROTOCOL_MIN} to ${PROTOCOL_MAX})`,
    group: 'transfer',
    apply: (s, value, typed) => {
      const version = poptInt(given(value), typed);
      if (version > PROTOCOL_MAX) throw new CliError(`--protocol must be no more than ${PROTOCOL_MAX}`, RERR.PROTOCOL);
      if (version < PROTOCOL_MIN) {
        throw new CliError(`--protocol must be at least ${PROTOCOL_MIN} (relaysync speaks ${PROTOCOL_MIN} to ${PROTOCOL_MAX})`, RERR.PROTOCOL);
      }
      s.options.protocol = version;
    },
  }),
  supported({
    long: ['ignore-times'],
    short: 'I',
    help: 'update files even when time and size match',
    group: 'transfer',
    apply: set('ignoreTimes', true),
    server: { to: 'both', letters: letter('I', 'ignoreTimes') },
  }),
  supported({
    long: ['size-only'],
    help: 'skip files whose size matches',
    group: 'transfer',
    apply: set('sizeOnly', true),
    server: { to: 'dest', args: flagArg('size-only', 'sizeOnly', '--size-only') },
  }),
  supported({
    long: ['modify-window'],
    short: '@',
    arg: text('NUM'),
    help: 'treat times within NUM seconds as equal (-1: ignore nanoseconds)',
    group: 'transfer',
    apply: (s, value, typed) => {
      s.options.modifyWindow = poptInt(given(value), typed);
    },
    // A negative value goes as -@N, which old servers read.
    server: {
      to: 'dest',
      args: { slot: 'modify-window', of: (o) => optional(o.modifyWindow, (n) => (n < 0 ? `-@${n}` : `--modify-window=${n}`)) },
    },
  }),
  supported({
    long: ['max-alloc'],
    arg: text('SIZE'),
    help: 'change the limit on a single memory allocation (default 1G)',
    group: 'transfer',
    apply: (s, value) => {
      s.pending.maxAllocArg = given(value);
    },
    server: { to: 'both', args: { slot: 'max-alloc', of: (o) => optional(o.maxAllocArg, (a) => `--max-alloc=${a}`) } },
  }),
  supported({
    long: ['sparse'],
    short: 'S',
    no: ['no-sparse', 'no-S'],
    help: 'write runs of zero bytes as holes',
    group: 'transfer',
    apply: set('sparseFiles', true),
    unset: set('sparseFiles', false),
    server: { to: 'both', letters: letter('S', 'sparseFiles') },
  }),
  supported({
    long: ['preallocate'],
    help: 'allocate each destination file before writing it',
    group: 'transfer',
    apply: set('preallocateFiles', true),
    server: { to: 'dest', args: flagArg('preallocate', 'preallocateFiles', '--preallocate') },
  }),
  supported({
    long: ['bwlimit'],
    arg: text('RATE'),
    no: ['no-bwlimit'],
    help: 'limit the bandwidth to RATE (KiB/s, or with a unit: 1.5M, 100KB, ...)',
    group: 'transfer',
    apply: (s, value) => {
      const bytes = parseSize(given(value), 'bwlimit', { defaultUnit: 'K', min: 512n, zeroIsUnlimited: true });
      s.options.bwlimit = kibPerSecond(bytes) * 1024;
    },
    unset: (s) => {
      s.options.bwlimit = 0;
    },
    server: { to: 'both', args: argWhenValue('bwlimit', (o) => (o.bwlimit !== 0 ? `--bwlimit=${o.bwlimit / 1024}` : undefined)) },
  }),
  supported({
    long: ['timeout'],
    arg: text('SECONDS'),
    no: ['no-timeout'],
    help: 'give up after SECONDS without I/O',
    group: 'transfer',
    apply: (s, value, typed) => {
      s.options.ioTimeout = poptInt(given(value), typed);
    },
    unset: (s) => {
      s.options.ioTimeout = 0;
    },
    server: { to: 'both', args: argWhenValue('timeout', (o) => (o.ioTimeout !== 0 ? `--timeout=${o.ioTimeout}` : undefined)) },
  }),
  supported({
    long: ['contimeout'],
    arg: text('SECONDS'),
    no: ['no-contimeout'],
    help: 'give up connecting to a daemon after SECONDS (rsync refuses it without one, and so does relaysync)',
    group: 'hosts',
    apply: (s, value, typed) => {
      s.options.connectTimeout = poptInt(given(value), typed);
    },
    unset: (s) => {
      s.options.connectTimeout = 0;
    },
  }),
  supported({
    long: ['fsync'],
    help: 'flush each written file to disk',
    group: 'transfer',
    apply: set('doFsync', true),
    server: { to: 'dest', args: flagArg('fsync', 'doFsync', '--fsync') },
  }),
  refused(CLIENT_SIDE, { long: ['stop-after', 'time-limit'], arg: text('MINS'), help: 'stop after MINS minutes' }),
  refused(CLIENT_SIDE, { long: ['stop-at'], arg: text('y-m-dTh:m'), help: 'stop at this time' }),
  refused('rsync itself sends servers --use-qsort, which they do not know', { long: ['qsort'], help: 'sort file lists with qsort' }),
  refused(BATCH, { long: ['write-batch'], arg: text('FILE'), help: 'record the update in FILE' }),
  refused(BATCH, { long: ['only-write-batch'], arg: text('FILE'), help: 'record the update in FILE without changing DEST' }),
  refused(BATCH, { long: ['read-batch'], arg: text('FILE'), help: 'apply the update recorded in FILE' }),
  refused('relaysync gives both servers one seed of its own, which they must share', {
    long: ['checksum-seed'],
    arg: text('NUM'),
    help: 'set the checksum seed',
  }),
  supported({
    long: ['iconv'],
    arg: text('CONVERT_SPEC'),
    no: ['no-iconv'],
    help: 'convert file names between charsets (LOCAL,REMOTE; - for none)',
    group: 'transfer',
    apply: (s, value) => {
      s.options.iconv = given(value);
    },
    unset: (s) => {
      s.options.iconv = undefined;
    },
    // Names travel as UTF-8 and each server converts its own: the source is LOCAL
    // and the destination REMOTE, as in a push from the source; one charset is both.
    server: { to: 'both', args: { slot: 'iconv', of: (o, c) => optional(o.iconv, (spec) => `--iconv=${sideCharset(spec, c.side)}`) } },
  }),
  refused(CLIENT_SIDE, { long: ['trust-sender'], help: "trust the sender's file list" }),

  // ---- hosts
  supported({
    long: ['rsh'],
    short: 'e',
    arg: text('COMMAND'),
    help: "reach hosts through this remote shell (e.g. 'ssh -F cfg') instead of relaysync's own SSH client; RSYNC_RSH does the same",
    group: 'hosts',
    apply: (s, value) => {
      s.relay.rsh = notEmpty('rsh', value!);
    },
  }),
  supported({
    long: ['ssh-config'],
    arg: text('FILE'),
    help: 'read this ssh_config file instead of ~/.ssh/config and /etc/ssh/ssh_config, like ssh -F (none: no file)',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.sshConfig = notEmpty('ssh-config', value!, 'a file name (or none)');
    },
  }),
  supported({
    long: ['rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on both hosts (shell text, e.g. "sudo rsync")',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.rsyncPath = notEmpty('rsync-path', given(value));
    },
  }),
  supported({
    long: ['source-rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on the source host (overrides --rsync-path)',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.sourceRsyncPath = notEmpty('source-rsync-path', given(value));
    },
  }),
  supported({
    long: ['dest-rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on the destination host (overrides --rsync-path)',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.destRsyncPath = notEmpty('dest-rsync-path', given(value));
    },
  }),
  ...(['inet', 'inet6'] as const).map((family) =>
    supported({
      long: [family === 'inet' ? 'ipv4' : 'ipv6'],
      short: family === 'inet' ? '4' : '6',
      help: `reach hosts over ${family === 'inet' ? 'IPv4' : 'IPv6'} only, as ssh ${family === 'inet' ? '-4' : '-6'} (passed on to a remote shell named ssh)`,
      group: 'hosts',
      apply: (s) => {
        s.relay.addressFamily = family;
      },
    }),
  ),
  refused(UNTRIED, { long: ['blocking-io'], no: ['no-blocking-io'], help: 'use blocking I/O for the remote shell' }),
  refused(DAEMON, { long: ['address'], arg: text('ADDRESS'), help: 'bind to ADDRESS to reach a daemon' }),
  refused(DAEMON, { long: ['port'], arg: text('PORT'), help: "a daemon's port" }),
  refused(DAEMON, { long: ['sockopts'], arg: text('OPTIONS'), help: 'TCP socket options' }),
  refused(DAEMON, { long: ['password-file'], arg: text('FILE'), help: "read a daemon's password from FILE" }),
  refused(DAEMON, { long: ['early-input'], arg: text('FILE'), help: "give FILE to a daemon's early exec script" }),
  refused('the broker would have to know what each extra option changes in the stream', {
    long: ['remote-option'],
    short: 'M',
    arg: text('OPT'),
    help: 'send OPT to the server only',
  }),
  supported({
    long: ['old-args'],
    no: ['no-old-args'],
    help: 'quote remote arguments the old way (twice: not at all)',
    group: 'hosts',
    apply: (s) => {
      s.pending.oldStyleArgs = Math.max(s.pending.oldStyleArgs ?? 0, 0) + 1;
    },
    unset: (s) => {
      s.pending.oldStyleArgs = 0;
    },
  }),
  supported({
    long: ['secluded-args', 'protect-args'],
    short: 's',
    no: ['no-secluded-args', 'no-protect-args', 'no-s'],
    help: 'send path arguments through the protocol, not the remote shell',
    group: 'hosts',
    apply: (s) => {
      s.pending.protectArgs = true;
    },
    unset: (s) => {
      s.pending.protectArgs = false;
    },
    server: { to: 'both', letters: letter('s', 'protectArgs') },
  }),

  // ---- rsync's own server and daemon modes
  refused(SERVER_SIDE, { long: ['server'], help: 'run as a server (rsync uses it internally)' }),
  refused(SERVER_SIDE, { long: ['sender'], help: 'serve as the sender (rsync uses it internally)' }),
  refused(DAEMON_MODE, { long: ['daemon'], help: 'run as an rsync daemon' }),
  refused(DAEMON_MODE, { long: ['config'], arg: text('FILE'), help: "a daemon's configuration file" }),
  refused(DAEMON_MODE, { long: ['dparam'], arg: text('OVERRIDE'), help: "override a daemon's setting" }),
  refused(DAEMON_MODE, { long: ['detach'], no: ['no-detach'], help: 'let a daemon detach from the terminal' }),
];
