// rsync decides what it prints by "info" levels (options.c): -v turns on
// NAME, FLIST, STATS, DEL and others at level 1, -vv raises some to 2,
// --stats raises STATS, --progress adds PROGRESS and the file names, and
// --info sets words one by one, over all of those. The output reads these
// levels rather than the options that set them.
import { INFO_WORD_LIST, type InfoWord } from './output-words.js';
import type { RsyncOptions } from './rsync-options.js';

export type InfoLevels = Readonly<Record<InfoWord, number>>;

/** What each -v adds (info_verbosity): index 0 applies always, 1 with -v, 2 with -vv and more. */
const BY_VERBOSITY: readonly (readonly (readonly [InfoWord, number])[])[] = [
  [['nonreg', 1]],
  [['copy', 1], ['del', 1], ['flist', 1], ['misc', 1], ['name', 1], ['stats', 1], ['symsafe', 1]],
  [['backup', 1], ['misc', 2], ['mount', 1], ['name', 2], ['remove', 1], ['skip', 1]],
];

/** Whether a log format has an escape (log.c log_format_has): `%` flags and width, then the letter. */
export function logFormatHas(format: string | undefined, escape: string): boolean {
  if (format === undefined) return false;
  // A width of at most 23 characters with its '-', as log_formatted() reads it; %% is a literal '%'.
  const escapes = /%'*(?:-\d{0,22}|\d{0,23})'*(.)/gs;
  for (const match of format.matchAll(escapes)) {
    if (match[1] === escape) return true;
  }
  return false;
}

/**
 * Whether rsync prints a file's line before its transfer: it does when the
 * format (given, or implied by -i) needs nothing known only afterwards.
 */
export function logBeforeTransfer(o: RsyncOptions): boolean {
  return o.stdoutFormat !== undefined && !['b', 'c', 'C'].some((e) => logFormatHas(o.stdoutFormat, e));
}

/**
 * The format of each file's line on stdout (rsync's stdout_format once it
 * is settled): the given or itemizing one, else "%n%L" when names are printed.
 */
export function outputFormat(o: RsyncOptions): string | undefined {
  return o.stdoutFormat ?? (infoLevels(o).name >= 1 ? '%n%L' : undefined);
}

/** What rsync's client settles about its output once the options are read (options.c, after parse_arguments). */
export interface OutputSettings {
  readonly info: InfoLevels;
  /** Each file's line on stdout (stdout_format), when names are shown. */
  readonly stdoutFormat: string | undefined;
  /** stdout_format_has_i: 0 without %i, else the -i count with its lowest bit set (above 1: -ii, unchanged items too). */
  readonly stdoutFormatHasI: number;
  /** The format shows %i or %o: deletions are shown in it rather than as "deleting NAME". */
  readonly stdoutFormatHasOorI: boolean;
  /** A transfer's line is printed as it starts, since the format needs nothing known only at its end (%b %c %C). */
  readonly logBeforeTransfer: boolean;
  /** Each file's line in the --log-file, undefined without one. */
  readonly logfileFormat: string | undefined;
  readonly logfileFormatHasI: boolean;
  readonly logfileFormatHasOorI: boolean;
}

export function outputSettings(o: RsyncOptions): OutputSettings {
  const stdoutFormat = outputFormat(o);
  const stdoutFormatHasI = logFormatHas(stdoutFormat, 'i') ? o.itemizeChanges | 1 : 0;
  const logfileFormatHasI = logFormatHas(o.logfileFormat, 'i');
  return {
    info: infoLevels(o),
    stdoutFormat,
    stdoutFormatHasI,
    stdoutFormatHasOorI: stdoutFormatHasI > 0 || logFormatHas(stdoutFormat, 'o'),
    logBeforeTransfer: o.stdoutFormat === undefined ? stdoutFormat !== undefined : logBeforeTransfer(o),
    logfileFormat: o.logfileFormat,
    logfileFormatHasI,
    logfileFormatHasOorI: logfileFormatHasI || logFormatHas(o.logfileFormat, 'o'),
  };
}

export function infoLevels(o: RsyncOptions): InfoLevels {
  const levels = Object.fromEntries(INFO_WORD_LIST.map((w) => [w, 0])) as Record<InfoWord, number>;
  for (const step of BY_VERBOSITY.slice(0, Math.min(o.verbose, 2) + 1)) {
    for (const [word, level] of step) levels[word] = level;
  }
  if (o.stats) levels.stats = o.verbose > 1 ? 3 : 2;
  if (o.progress) {
    if (!logBeforeTransfer(o) && (o.info.name ?? levels.name) === 0) levels.name = 1;
    levels.flist = 2;
    levels.progress = 1;
  }
  // What --info set wins over everything the other options imply.
  return { ...levels, ...o.info };
}
