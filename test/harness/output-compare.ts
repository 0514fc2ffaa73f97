// Compares what relaysync printed with what plain rsync printed for the same
// transfer, as a user who knows rsync would: the same lines, and the same
// order wherever rsync's own order does not depend on timing. What differs
// from run to run in rsync itself is masked (rates, times, pids, the
// destination's path) or compared loosely (bytes sent and received), and a
// progress line is compared by what stays on the screen (the last update).
//
// Timing decides where the servers' messages fall among the client's lines
// (a receiver's "is uptodate", "created directory", the deletions, the
// sender's match report): rsync's generator sends its messages ahead of its
// buffered requests when it flushes them. Those lines float: they are
// compared as a multiset, and deletions also in their own order.

/** Lines the servers print, whose place among the client's lines is timing. */
export const serverLines: readonly RegExp[] = [
  / is uptodate$/,
  / exists$/,
  / is newer$/,
  /^created directory /,
  /^delta-transmission /,
  /^total: matches=/,
  /^skipping /,
  /^deleting /,
  /^\*deleting /,
  /^(not creating|Skipping) /,
  /^rsync\[PID\] \((server|receiver|generator|sender)/,
];

/** Masks rsync's timing in a progress line (rate and time left or taken). */
function maskRate(line: string): string {
  return line.replace(/ +[\d.,]+[kMG]B\/s +(?:[\d?]+:){2}[\d?]+/g, ' RATE TIME');
}

export interface Normalized {
  readonly lines: readonly string[];
  /** From the summary, for a loose comparison. */
  readonly sent: number | undefined;
  readonly received: number | undefined;
}

export interface NormalizeOptions {
  /** Paths that differ between the two runs (each run's destination), shown as DEST. */
  readonly replace?: readonly string[];
  /** More lines that come from the servers (a format that names deletions its own way). */
  readonly floating?: readonly RegExp[];
}

const number = (text: string): number => Number(text.replaceAll(',', ''));

/**
 * A run's stdout as lines a user compares: each progress line by its last
 * update, timing masked, the destination's path replaced, and the figures
 * that vary between runs of rsync itself (byte totals, their rate, the
 * speedup, the file-list times, heap statistics) masked.
 */
export function normalizeOutput(stdout: string, options: NormalizeOptions = {}): Normalized {
  let sent: number | undefined;
  let received: number | undefined;
  const lines = stdout
    .split('\n')
    .filter((line, i, all) => i < all.length - 1 || line !== '')
    .map((line) => {
      // What stays on the screen of a line updated with carriage returns.
      const segments = line.split('\r');
      let shown = segments[segments.length - 1] === '' && segments.length > 1 ? segments[segments.length - 2]! : segments[segments.length - 1]!;
      for (const path of options.replace ?? []) shown = shown.replaceAll(path, 'DEST');
      shown = maskRate(shown);
      const summary = /^sent ([\d,.]+[KMGTP]?) bytes {2}received ([\d,.]+[KMGTP]?) bytes {2}(.* bytes\/sec|total size [\d]+)$/.exec(shown);
      if (summary) {
        sent = number(summary[1]!);
        received = number(summary[2]!);
        // The summary, or the log file's closing line.
        return summary[3]!.startsWith('total size') ? `sent BYTES  received BYTES  ${summary[3]}` : 'sent BYTES  received BYTES  RATE bytes/sec';
      }
      return shown
        .replace(/^(total size is [\d,.]+[KMGTP]?) {2}speedup is [\d,.]+/, '$1  speedup is SPEEDUP')
        .replace(/^(Total bytes (sent|received)): .*/, '$1: BYTES')
        .replace(/^(File list (generation|transfer) time): [\d,.]+ seconds$/, '$1: TIME seconds')
        .replace(/^rsync\[\d+\]/, 'rsync[PID]')
        .replace(/^( {2}\w+: +)\d+/, '$1N');
    });
  return { lines, sent, received };
}

/** Lines only rsync's own client prints, which relaysync (playing that part) has no way to: dropped from the oracle's output. */
export function dropClientOnly(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inClientHeap = false;
  for (const line of lines) {
    if (line.startsWith('opening connection using: ')) continue;
    // STATS3's memory report of the client sender itself, up to its blank line.
    if (/^rsync\[PID\] \(sender\) heap statistics:$/.test(line)) inClientHeap = true;
    if (inClientHeap) {
      if (line === '') inClientHeap = false;
      continue;
    }
    out.push(line);
  }
  return out;
}

function counts(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of lines) m.set(line, (m.get(line) ?? 0) + 1);
  return m;
}

function multisetDifference(a: readonly string[], b: readonly string[]): string[] {
  const left = counts(b);
  const extra: string[] = [];
  for (const line of a) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else extra.push(line);
  }
  return extra;
}

/** How far the byte totals may be from rsync's: relaysync frames the relayed data its own way, and both count some bytes at the end or not. */
export function bytesClose(mine: number, theirs: number): boolean {
  return Math.abs(mine - theirs) <= Math.max(64, theirs * 0.03);
}

/**
 * Every way relaysync's output differs from rsync's: lines one has and the
 * other has not, lines rsync prints in a fixed order that come in another,
 * and byte totals too far apart.
 */
export function compareOutputs(mine: Normalized, theirs: Normalized, options: NormalizeOptions = {}): string[] {
  const problems: string[] = [];
  const expected = dropClientOnly(theirs.lines);
  const missing = multisetDifference(expected, mine.lines);
  const extra = multisetDifference(mine.lines, expected);
  if (missing.length > 0) problems.push(`lines rsync prints that relaysync does not: ${JSON.stringify(missing)}`);
  if (extra.length > 0) problems.push(`lines relaysync prints that rsync does not: ${JSON.stringify(extra)}`);
  const floating = [...serverLines, ...(options.floating ?? [])];
  const fixed = (lines: readonly string[]) => lines.filter((line) => !floating.some((re) => re.test(line)));
  const deletions = (lines: readonly string[]) => lines.filter((line) => /^\*?deleting /.test(line));
  for (const [what, pick] of [
    ['lines', fixed],
    ['deletions', deletions],
  ] as const) {
    const [a, b] = [pick(mine.lines), pick(expected)];
    if (missing.length === 0 && extra.length === 0 && JSON.stringify(a) !== JSON.stringify(b)) {
      problems.push(`the ${what} come in another order:\n      relaysync: ${JSON.stringify(a)}\n      rsync:     ${JSON.stringify(b)}`);
    }
  }
  for (const [what, a, b] of [
    ['sent', mine.sent, theirs.sent],
    ['received', mine.received, theirs.received],
  ] as const) {
    // Totals in units (-h) are masked only.
    if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) continue;
    if (!bytesClose(a, b)) problems.push(`${what} ${a} bytes, rsync's ${b}`);
  }
  return problems;
}

/** A log file's lines: each must start with rsync's "YYYY/MM/DD hh:mm:ss [pid] ", which is then dropped. */
export function normalizeLog(log: string, options: NormalizeOptions = {}): { lines: string[]; badPrefixes: string[] } {
  const badPrefixes: string[] = [];
  const text = log
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const prefix = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\d+\] /.exec(line);
      if (!prefix) badPrefixes.push(line);
      return prefix ? line.slice(prefix[0].length) : line;
    })
    .join('\n');
  return { lines: [...normalizeOutput(text + '\n', options).lines], badPrefixes };
}
