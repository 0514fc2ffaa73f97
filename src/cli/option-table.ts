// Every rsync 3.5.0 option, declared once: its spellings, its value, its
// help, whether relaysync supports it yet, how it changes the parsed state,
// and what it puts on each server's command line. Parsing, the server
// command lines and --help all read this table.
import { CliError } from './cli-error.js';
import type { RelaySettings } from './relay-settings.js';
import type { RsyncOptions } from './rsync-options.js';
import { PROTOCOL_MAX, PROTOCOL_MIN, RERR } from '../protocol/constants.js';
import type { Side } from '../transport/server-process.js';

/** What applying the options builds up, in command-line order. */
export interface ParseState {
  readonly options: RsyncOptions;
  readonly relay: RelaySettings;
  help: boolean;
  version: boolean;
}

export type Apply = (state: ParseState, value?: string) => void;

/** The value an option takes; a `number` value is checked to be an integer before apply. */
export interface OptionArg {
  readonly kind: 'text' | 'number';
  /** How --help names it: `--exclude=PATTERN`. */
  readonly name: string;
}

/**
 * rsync's order of the letters in the short-option cluster of a server
 * command line (options.c server_options). A letter may repeat in place (-vv).
 */
export const CLUSTER_ORDER = 'vqbunldKmOJyLkWHogDtUNpEAXrcCIRxSz';

/** rsync's order of the separate server arguments relaysync can send. */
export const ARG_ORDER = [
  'specials',
  'log-format',
  'delete',
  'stats',
  'checksum-seed',
  'partial',
  'numeric-ids',
  'inplace',
] as const;
export type ArgSlot = (typeof ARG_ORDER)[number];

/** What the parsed state of one option puts on a server's command line. */
export interface ServerContribution {
  /**
   * Which server gets it: the source is a server sender (what rsync sends
   * when it pulls), the dest a server receiver (what rsync sends when it pushes).
   */
  readonly to: Side | 'both';
  /** Letters for the short-option cluster; the builder puts them in CLUSTER_ORDER. */
  readonly letters?: (o: RsyncOptions) => string;
  /** Separate arguments, placed at their slot in ARG_ORDER. */
  readonly args?: { readonly slot: ArgSlot; readonly of: (o: RsyncOptions) => readonly string[] };
}

export type HelpGroup = 'what' | 'metadata' | 'delete' | 'transfer' | 'output' | 'hosts' | 'program';

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

export interface RefusedOption extends Spellings {
  readonly status: 'not-yet';
  /** Why not, in a few words; the refusal message quotes it. */
  readonly reason: string;
  /** What to do instead, when something supported does the job. */
  readonly instead?: string;
  readonly no?: readonly string[];
}

export type OptionSpec = SupportedOption | RefusedOption;

/** How an option is written on the command line: `-v`, `--verbose`, and apart its --no-OPTION forms. */
export function spellingsOf(option: OptionSpec): { readonly positive: string[]; readonly negative: string[] } {
  return {
    positive: [...(option.short === undefined ? [] : [`-${option.short}`]), ...option.long.map((l) => `--${l}`)],
    negative: (option.no ?? []).map((n) => `--${n}`),
  };
}

type FlagField = { [K in keyof RsyncOptions]: RsyncOptions[K] extends boolean ? K : never }[keyof RsyncOptions];
type CountField = 'verbose' | 'humanReadable' | 'preserveHardLinks' | 'oneFileSystem';

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
/** The letter once when the flag is on, or once per count. */
const letter = (ch: string, field: FlagField | CountField) => (o: RsyncOptions) =>
  ch.repeat(Number(o[field]));

const text = (name: string): OptionArg => ({ kind: 'text', name });
const number = (name: string): OptionArg => ({ kind: 'number', name });

function supported(spec: SupportedFields & Negation): SupportedOption {
  return { ...spec, status: 'supported' };
}

function notYet(reason: string, spec: Omit<RefusedOption, 'status' | 'reason'>): RefusedOption {
  return { ...spec, status: 'not-yet', reason };
}

const UNTRIED = 'it has not been tried through the relay yet';
const OUTPUT = "relaysync's own output does not follow it yet";
const DAEMON = 'it is for rsync daemon connections, which relaysync does not make yet';
const DAEMON_MODE = 'it runs rsync as a daemon; relaysync is only ever a client';
const SERVER_SIDE = 'relaysync puts it on the server command lines itself';
const FILTERS = 'only --exclude and --include rules are relayed so far';
const DELETE_WHEN = 'only --delete is relayed so far';
const COMPRESS = 'the servers negotiate the compression so far';

function notEmpty(option: string, value: string): string {
  if (value === '') throw new CliError(`--${option} needs a program name`);
  return value;
}

export const OPTION_TABLE: readonly OptionSpec[] = [
  // ---- help and version
  supported({
    long: ['help'],
    help: 'show this help (-h on its own does too)',
    group: 'program',
    apply: (s) => {
      s.help = true;
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
  notYet(OUTPUT, { long: ['info'], arg: text('FLAGS'), help: 'choose informational messages one by one' }),
  notYet(OUTPUT, { long: ['debug'], arg: text('FLAGS'), help: 'choose debug messages one by one' }),
  notYet(OUTPUT, { long: ['stderr'], arg: text('e|a|c'), help: 'choose which messages go to stderr' }),
  notYet(OUTPUT, {
    long: ['msgs2stderr'],
    no: ['no-msgs2stderr'],
    help: 'older spelling of --stderr=all',
  }),
  notYet(OUTPUT, { long: ['quiet'], short: 'q', help: 'print errors only' }),
  notYet(DAEMON, { long: ['motd'], no: ['no-motd'], help: "show a daemon's message of the day" }),
  supported({
    long: ['stats'],
    help: 'print transfer statistics at the end',
    group: 'output',
    apply: set('stats', true),
    // A client sender asks the server receiver for its statistics.
    server: { to: 'dest', args: { slot: 'stats', of: (o) => (o.stats ? ['--stats'] : []) } },
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
  notYet(OUTPUT, {
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
    unset: set('progress', false),
    // --progress without -v makes rsync's client log names, and a client
    // sender that logs names tells the server receiver to log nothing (X).
    server: {
      to: 'dest',
      args: { slot: 'log-format', of: (o) => (o.progress && o.verbose === 0 ? ['--log-format=X'] : []) },
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
  notYet(OUTPUT, {
    long: ['itemize-changes'],
    short: 'i',
    no: ['no-itemize-changes', 'no-i'],
    help: 'print a summary of the changes made to each file',
  }),
  notYet(OUTPUT, { long: ['out-format', 'log-format'], arg: text('FORMAT'), help: 'print each update in FORMAT' }),
  notYet(OUTPUT, { long: ['log-file'], arg: text('FILE'), help: 'log what happens to FILE' }),
  notYet(OUTPUT, { long: ['log-file-format'], arg: text('FORMAT'), help: 'log each update to the log file in FORMAT' }),
  notYet('listing files is not supported yet', {
    long: ['list-only'],
    help: 'list the files instead of copying them',
  }),
  notYet(OUTPUT, { long: ['outbuf'], arg: text('N|L|B'), help: 'buffer standard output by none, line or block' }),

  // ---- what to copy
  supported({
    long: ['archive'],
    short: 'a',
    help: 'archive mode: same as -rlptgoD (not -A, -X, -U, -N or -H)',
    group: 'what',
    apply: (s) => {
      const o = s.options;
      o.recurse = o.preserveLinks = o.preservePerms = o.preserveMtimes = true;
      o.preserveGid = o.preserveUid = o.preserveDevices = o.preserveSpecials = true;
    },
  }),
  supported({
    long: ['recursive'],
    short: 'r',
    no: ['no-recursive', 'no-r'],
    help: 'copy directories and everything in them',
    group: 'what',
    apply: set('recurse', true),
    unset: set('recurse', false),
    server: { to: 'both', letters: letter('r', 'recurse') },
  }),
  supported({
    long: ['inc-recursive', 'i-r'],
    no: ['no-inc-recursive', 'no-i-r'],
    help: 'let the servers send the file list in pieces while copying (the default)',
    group: 'what',
    apply: set('allowIncRecurse', true),
    unset: set('allowIncRecurse', false),
  }),
  notYet(UNTRIED, { long: ['dirs'], short: 'd', no: ['no-dirs', 'no-d'], help: 'copy directories without what is in them' }),
  notYet(UNTRIED, { long: ['old-dirs', 'old-d'], help: '--dirs the way an old rsync understands it' }),
  notYet(UNTRIED, { long: ['relative'], short: 'R', no: ['no-relative', 'no-R'], help: 'keep the source path names at the destination' }),
  notYet(UNTRIED, {
    long: ['implied-dirs', 'i-d'],
    no: ['no-implied-dirs', 'no-i-d'],
    help: 'with -R, also send the directories that lead to each path',
  }),
  notYet(UNTRIED, { long: ['mkpath'], no: ['no-mkpath'], help: 'create the missing directories of DEST' }),
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
  notYet(UNTRIED, { long: ['copy-unsafe-links'], help: 'copy what symlinks point to when it is outside the tree' }),
  notYet(UNTRIED, { long: ['safe-links'], help: 'leave out symlinks that point outside the tree' }),
  notYet(UNTRIED, {
    long: ['insecure-links'],
    no: ['no-insecure-links'],
    help: 'follow symlinks owned by other users in paths given to rsync',
  }),
  notYet(UNTRIED, { long: ['confine-root'], arg: text('DIR'), help: 'refuse paths given to rsync that resolve outside DIR' }),
  notYet(UNTRIED, { long: ['munge-links'], no: ['no-munge-links'], help: 'store symlinks in a form that cannot be followed' }),
  notYet(UNTRIED, { long: ['copy-dirlinks'], short: 'k', help: 'copy symlinks to directories as directories' }),
  notYet(UNTRIED, { long: ['keep-dirlinks'], short: 'K', help: 'treat a symlink to a directory at DEST as that directory' }),
  supported({
    long: ['one-file-system'],
    short: 'x',
    no: ['no-one-file-system', 'no-x'],
    help: 'stay on one file system; -xx also skips mount points',
    group: 'what',
    apply: increment('oneFileSystem'),
    unset: reset('oneFileSystem'),
    server: { to: 'both', letters: letter('x', 'oneFileSystem') },
  }),
  supported({
    long: ['update'],
    short: 'u',
    help: 'skip files that are newer at the destination',
    group: 'what',
    apply: set('updateOnly', true),
    server: { to: 'both', letters: letter('u', 'updateOnly') },
  }),
  notYet(UNTRIED, { long: ['ignore-non-existing', 'existing'], help: 'update only files that exist at the destination' }),
  notYet(UNTRIED, { long: ['ignore-existing'], help: 'skip files that exist at the destination' }),
  notYet(UNTRIED, { long: ['max-size'], arg: text('SIZE'), help: 'skip files larger than SIZE' }),
  notYet(UNTRIED, { long: ['min-size'], arg: text('SIZE'), help: 'skip files smaller than SIZE' }),
  notYet('the client reads the names and sends them in the stream; the broker does not yet', {
    long: ['files-from'],
    arg: text('FILE'),
    help: 'copy the files named in FILE',
  }),
  notYet(UNTRIED, { long: ['from0'], short: '0', no: ['no-from0'], help: 'names in *-from files end with a zero byte' }),
  notYet(UNTRIED, { long: ['ignore-missing-args'], help: 'do not complain about SRC paths that do not exist' }),
  notYet(UNTRIED, { long: ['delete-missing-args'], help: 'delete at the destination what a missing SRC path names' }),
  notYet(UNTRIED, { long: ['remove-source-files'], help: 'delete source files once they are copied (not directories)' }),
  notYet(UNTRIED, { long: ['remove-sent-files'], help: 'older form of --remove-source-files' }),

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
  notYet(UNTRIED, { long: ['executability'], short: 'E', help: 'keep whether files are executable' }),
  notYet(UNTRIED, { long: ['chmod'], arg: text('CHMOD'), help: 'change permissions on the way' }),
  notYet('the broker does not relay ACLs yet', {
    long: ['acls'],
    short: 'A',
    no: ['no-acls', 'no-A'],
    help: 'keep ACLs (implies -p)',
  }),
  notYet('the broker does not relay extended attributes yet', {
    long: ['xattrs'],
    short: 'X',
    no: ['no-xattrs', 'no-X'],
    help: 'keep extended attributes',
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
  notYet(UNTRIED, { long: ['copy-devices'], help: 'copy what a device holds as a regular file' }),
  notYet(UNTRIED, {
    long: ['write-devices'],
    no: ['no-write-devices'],
    help: 'write into existing devices at the destination (implies --inplace)',
  }),
  notYet(UNTRIED, { long: ['drop-D'], no: ['no-drop-D'], help: 'let the receiver refuse to create devices and specials' }),
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
  notYet('the broker does not decode access times in the file list yet', {
    long: ['atimes'],
    short: 'U',
    no: ['no-atimes', 'no-U'],
    help: 'keep access times',
  }),
  notYet(UNTRIED, { long: ['open-noatime'], no: ['no-open-noatime'], help: 'open files without changing their access time' }),
  notYet('the broker does not decode creation times in the file list yet', {
    long: ['crtimes'],
    short: 'N',
    no: ['no-crtimes', 'no-N'],
    help: 'keep creation times',
  }),
  notYet(UNTRIED, {
    long: ['omit-dir-times'],
    short: 'O',
    no: ['no-omit-dir-times', 'no-O'],
    help: 'do not keep the times of directories',
  }),
  notYet(UNTRIED, {
    long: ['omit-link-times'],
    short: 'J',
    no: ['no-omit-link-times', 'no-J'],
    help: 'do not keep the times of symlinks',
  }),
  notYet(UNTRIED, { long: ['super'], no: ['no-super'], help: 'let the receiver act as root' }),
  notYet(UNTRIED, { long: ['fake-super'], help: 'keep owner, devices and modes in extended attributes' }),
  supported({
    long: ['hard-links'],
    short: 'H',
    no: ['no-hard-links', 'no-H'],
    help: 'keep hard links',
    group: 'metadata',
    apply: increment('preserveHardLinks'),
    unset: reset('preserveHardLinks'),
    server: { to: 'both', letters: letter('H', 'preserveHardLinks') },
  }),
  supported({
    long: ['numeric-ids'],
    no: ['no-numeric-ids'],
    help: 'keep user and group ids as numbers, not by name',
    group: 'metadata',
    apply: set('numericIds', true),
    unset: set('numericIds', false),
    server: { to: 'both', args: { slot: 'numeric-ids', of: (o) => (o.numericIds ? ['--numeric-ids'] : []) } },
  }),
  notYet(UNTRIED, { long: ['usermap'], arg: text('STRING'), help: 'map user names on the way' }),
  notYet(UNTRIED, { long: ['groupmap'], arg: text('STRING'), help: 'map group names on the way' }),
  notYet(UNTRIED, { long: ['chown'], arg: text('USER:GROUP'), help: 'give every file this owner and group' }),
  notYet(UNTRIED, { long: ['copy-as'], arg: text('USER[:GROUP]'), help: 'run the copy as this user and group' }),

  // ---- deleting and filtering
  supported({
    long: ['delete'],
    help: 'delete files at the destination that the source does not have',
    group: 'delete',
    apply: set('deleteMode', true),
    // The receiver deletes, so only it needs to know.
    server: { to: 'dest', args: { slot: 'delete', of: (o) => (o.deleteMode ? ['--delete'] : []) } },
  }),
  notYet(DELETE_WHEN, { long: ['delete-before'], help: 'delete before copying' }),
  notYet(DELETE_WHEN, {
    long: ['delete-during', 'del'],
    help: 'delete while copying',
    instead: 'Use --delete: it deletes while copying too.',
  }),
  notYet(DELETE_WHEN, { long: ['delete-delay'], help: 'find what to delete while copying, delete at the end' }),
  notYet(DELETE_WHEN, { long: ['delete-after'], help: 'delete after copying' }),
  notYet(UNTRIED, { long: ['delete-excluded'], help: 'also delete excluded files at the destination' }),
  notYet(UNTRIED, { long: ['ignore-errors'], no: ['no-ignore-errors'], help: 'delete even after I/O errors' }),
  notYet(UNTRIED, { long: ['force'], no: ['no-force'], help: 'delete directories even when not empty' }),
  notYet(UNTRIED, { long: ['max-delete'], arg: number('NUM'), help: 'delete at most NUM files' }),
  supported({
    long: ['exclude'],
    arg: text('PATTERN'),
    help: 'leave out files that match PATTERN',
    group: 'delete',
    // Filter rules travel in the protocol, not on the command lines.
    apply: (s, value) => {
      s.options.filters.push({ option: 'exclude', text: value! });
    },
  }),
  supported({
    long: ['include'],
    arg: text('PATTERN'),
    help: 'do not leave out files that match PATTERN',
    group: 'delete',
    apply: (s, value) => {
      s.options.filters.push({ option: 'include', text: value! });
    },
  }),
  notYet(FILTERS, { long: ['filter'], short: 'f', arg: text('RULE'), help: 'add a filter rule' }),
  notYet(FILTERS, { long: [], short: 'F', help: "read filter rules from .rsync-filter files; -FF also leaves them out" }),
  notYet(FILTERS, { long: ['exclude-from'], arg: text('FILE'), help: 'read exclude patterns from FILE' }),
  notYet(FILTERS, { long: ['include-from'], arg: text('FILE'), help: 'read include patterns from FILE' }),
  notYet(FILTERS, { long: ['cvs-exclude'], short: 'C', help: 'leave out what CVS would ignore' }),
  notYet(UNTRIED, {
    long: ['prune-empty-dirs'],
    short: 'm',
    no: ['no-prune-empty-dirs', 'no-m'],
    help: 'leave out directories that end up empty',
  }),

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
  notYet(UNTRIED, { long: ['checksum-choice', 'cc'], arg: text('STR'), help: 'choose the checksum algorithm' }),
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
  notYet(UNTRIED, { long: ['block-size'], short: 'B', arg: text('SIZE'), help: 'use a fixed checksum block size' }),
  supported({
    long: ['compress'],
    short: 'z',
    no: ['no-compress', 'no-z'],
    help: 'compress file data on the way (the servers choose how)',
    group: 'transfer',
    apply: (s) => {
      // rsync reads -zz as --new-compress, a fixed choice of zlibx.
      if (s.options.compress) {
        throw new CliError(`-zz (--new-compress) is not supported yet: ${COMPRESS}.\nUse a single -z.`);
      }
      s.options.compress = true;
    },
    unset: set('compress', false),
    server: { to: 'both', letters: letter('z', 'compress') },
  }),
  notYet(COMPRESS, { long: ['old-compress'], help: 'compress with zlib' }),
  notYet(COMPRESS, { long: ['new-compress'], help: 'compress with zlibx' }),
  notYet(COMPRESS, { long: ['compress-choice', 'zc'], arg: text('STR'), help: 'choose the compression algorithm' }),
  notYet(COMPRESS, { long: ['compress-level', 'zl'], arg: number('NUM'), help: 'choose the compression level' }),
  notYet(COMPRESS, { long: ['compress-threads', 'zt'], arg: number('NUM'), help: 'compress with NUM threads' }),
  notYet(COMPRESS, { long: ['skip-compress'], arg: text('LIST'), help: 'do not compress files with these suffixes' }),
  supported({
    long: ['partial'],
    no: ['no-partial'],
    help: 'keep partly copied files to resume later',
    group: 'transfer',
    apply: set('keepPartial', true),
    unset: set('keepPartial', false),
    server: { to: 'dest', args: { slot: 'partial', of: (o) => (o.keepPartial ? ['--partial'] : []) } },
  }),
  supported({
    long: ['inplace'],
    no: ['no-inplace'],
    help: 'write updates straight into the destination files',
    group: 'transfer',
    apply: set('inplace', true),
    unset: set('inplace', false),
    server: { to: 'both', args: { slot: 'inplace', of: (o) => (o.inplace ? ['--inplace'] : []) } },
  }),
  supported({
    long: ['protocol'],
    arg: number('NUM'),
    help: `offer at most protocol NUM to both servers (${PROTOCOL_MIN} to ${PROTOCOL_MAX})`,
    group: 'transfer',
    apply: (s, value) => {
      const version = Number(value);
      if (version > PROTOCOL_MAX) throw new CliError(`--protocol must be no more than ${PROTOCOL_MAX}`, RERR.PROTOCOL);
      if (version < PROTOCOL_MIN) {
        throw new CliError(`--protocol must be at least ${PROTOCOL_MIN} (relaysync speaks ${PROTOCOL_MIN} to ${PROTOCOL_MAX})`, RERR.PROTOCOL);
      }
      s.options.protocol = version;
    },
  }),
  notYet(UNTRIED, { long: ['ignore-times'], short: 'I', help: 'update files even when time and size match' }),
  notYet(UNTRIED, { long: ['size-only'], help: 'skip files whose size matches' }),
  notYet(UNTRIED, { long: ['modify-window'], short: '@', arg: number('NUM'), help: 'treat times within NUM seconds as equal' }),
  notYet(UNTRIED, { long: ['max-alloc'], arg: text('SIZE'), help: 'change the limit on a single memory allocation' }),
  notYet(UNTRIED, { long: ['sparse'], short: 'S', no: ['no-sparse', 'no-S'], help: 'write runs of zero bytes as holes' }),
  notYet(UNTRIED, { long: ['preallocate'], help: 'allocate each destination file before writing it' }),
  notYet('append mode changes what the sender sends, which the broker does not follow yet', {
    long: ['append'],
    no: ['no-append'],
    help: 'append to destination files that are shorter',
  }),
  notYet('append mode changes what the sender sends, which the broker does not follow yet', {
    long: ['append-verify'],
    help: 'like --append, then check the whole file',
  }),
  notYet(UNTRIED, { long: ['partial-dir'], arg: text('DIR'), help: 'keep partly copied files in DIR' }),
  notYet(UNTRIED, {
    long: ['delay-updates'],
    no: ['no-delay-updates'],
    help: 'put all updated files in place at the end',
  }),
  notYet(UNTRIED, { long: ['temp-dir'], short: 'T', arg: text('DIR'), help: 'write temporary files in DIR' }),
  notYet(UNTRIED, { long: ['fuzzy'], short: 'y', no: ['no-fuzzy', 'no-y'], help: 'use a similar file as the basis when the file is new' }),
  notYet(UNTRIED, { long: ['compare-dest'], arg: text('DIR'), help: 'also compare with the files in DIR' }),
  notYet(UNTRIED, { long: ['copy-dest'], arg: text('DIR'), help: 'like --compare-dest, and copy unchanged files from DIR' }),
  notYet(UNTRIED, { long: ['link-dest'], arg: text('DIR'), help: 'hard-link unchanged files from DIR' }),
  notYet(UNTRIED, { long: ['backup'], short: 'b', no: ['no-backup'], help: 'keep a backup of each file replaced' }),
  notYet(UNTRIED, { long: ['backup-dir'], arg: text('DIR'), help: 'keep backups under DIR' }),
  notYet(UNTRIED, { long: ['suffix'], arg: text('SUFFIX'), help: 'name backups with SUFFIX' }),
  notYet(UNTRIED, { long: ['bwlimit'], arg: text('RATE'), no: ['no-bwlimit'], help: 'limit the bandwidth used' }),
  notYet('relaysync has no I/O timeout yet', {
    long: ['timeout'],
    arg: number('SECONDS'),
    no: ['no-timeout'],
    help: 'give up after SECONDS without I/O',
  }),
  notYet(UNTRIED, { long: ['fsync'], help: 'flush each written file to disk' }),
  notYet(UNTRIED, { long: ['stop-after', 'time-limit'], arg: text('MINS'), help: 'stop after MINS minutes' }),
  notYet(UNTRIED, { long: ['stop-at'], arg: text('y-m-dTh:m'), help: 'stop at this time' }),
  notYet(UNTRIED, { long: ['qsort'], help: 'sort file lists with qsort' }),
  notYet('batch files are written and read by the rsync client, and here the client is the broker', {
    long: ['write-batch'],
    arg: text('FILE'),
    help: 'record the update in FILE',
  }),
  notYet('batch files are written and read by the rsync client, and here the client is the broker', {
    long: ['only-write-batch'],
    arg: text('FILE'),
    help: 'record the update in FILE without changing DEST',
  }),
  notYet('batch files are written and read by the rsync client, and here the client is the broker', {
    long: ['read-batch'],
    arg: text('FILE'),
    help: 'apply the update recorded in FILE',
  }),
  notYet('relaysync gives both servers one seed of its own, which they must share', {
    long: ['checksum-seed'],
    arg: number('NUM'),
    help: 'set the checksum seed',
  }),
  notYet('file names are relayed as bytes, without conversion', {
    long: ['iconv'],
    arg: text('CONVERT_SPEC'),
    no: ['no-iconv'],
    help: 'convert the character set of file names',
  }),
  notYet(UNTRIED, { long: ['trust-sender'], help: "trust the sender's file list" }),

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
      if (value === '') throw new CliError('--ssh-config needs a file name (or none)');
      s.relay.sshConfig = value;
    },
  }),
  supported({
    long: ['rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on both hosts (shell text, e.g. "sudo rsync")',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.rsyncPath = notEmpty('rsync-path', value!);
    },
  }),
  supported({
    long: ['source-rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on the source host (overrides --rsync-path)',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.sourceRsyncPath = notEmpty('source-rsync-path', value!);
    },
  }),
  supported({
    long: ['dest-rsync-path'],
    arg: text('PROGRAM'),
    help: 'the rsync to run on the destination host (overrides --rsync-path)',
    group: 'hosts',
    apply: (s, value) => {
      s.relay.destRsyncPath = notEmpty('dest-rsync-path', value!);
    },
  }),
  notYet(UNTRIED, { long: ['ipv4'], short: '4', help: 'prefer IPv4' }),
  notYet(UNTRIED, { long: ['ipv6'], short: '6', help: 'prefer IPv6' }),
  notYet(UNTRIED, { long: ['blocking-io'], no: ['no-blocking-io'], help: 'use blocking I/O for the remote shell' }),
  notYet(DAEMON, { long: ['address'], arg: text('ADDRESS'), help: 'bind to ADDRESS to reach a daemon' }),
  notYet(DAEMON, { long: ['port'], arg: number('PORT'), help: "a daemon's port" }),
  notYet(DAEMON, { long: ['sockopts'], arg: text('OPTIONS'), help: 'TCP socket options' }),
  notYet(DAEMON, { long: ['password-file'], arg: text('FILE'), help: "read a daemon's password from FILE" }),
  notYet(DAEMON, { long: ['early-input'], arg: text('FILE'), help: "give FILE to a daemon's early exec script" }),
  notYet(DAEMON, {
    long: ['contimeout'],
    arg: number('SECONDS'),
    no: ['no-contimeout'],
    help: 'give up connecting to a daemon after SECONDS',
  }),
  notYet('the broker would have to know what each extra option changes in the stream', {
    long: ['remote-option'],
    short: 'M',
    arg: text('OPT'),
    help: 'send OPT to the server only',
  }),
  notYet('relaysync quotes arguments for the remote shell the current way only', {
    long: ['old-args'],
    no: ['no-old-args'],
    help: 'quote remote arguments the old way',
  }),
  notYet('the broker does not send arguments through the protocol yet', {
    long: ['secluded-args', 'protect-args'],
    short: 's',
    no: ['no-secluded-args', 'no-protect-args', 'no-s'],
    help: 'send path arguments through the protocol, not the remote shell',
  }),

  // ---- rsync's own server and daemon modes
  notYet(SERVER_SIDE, { long: ['server'], help: 'run as a server (rsync uses it internally)' }),
  notYet(SERVER_SIDE, { long: ['sender'], help: 'serve as the sender (rsync uses it internally)' }),
  notYet(DAEMON_MODE, { long: ['daemon'], help: 'run as an rsync daemon' }),
  notYet(DAEMON_MODE, { long: ['config'], arg: text('FILE'), help: "a daemon's configuration file" }),
  notYet(DAEMON_MODE, { long: ['dparam'], arg: text('OVERRIDE'), help: "override a daemon's setting" }),
  notYet(DAEMON_MODE, { long: ['detach'], no: ['no-detach'], help: 'let a daemon detach from the terminal' }),
];
