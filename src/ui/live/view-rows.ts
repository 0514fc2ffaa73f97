// What the live view says, as rows of a label and its parts, from a
// progress snapshot: the route and what was settled, where the run stands
// (or, once it is over, how it ended), files, bytes, the delta, the files in
// flight, warnings and errors. Words only: live-screen.tsx lays the rows
// out for the terminal's width.
import type { Side } from '../../transport/server-process.js';
import { exitCodeMeaning } from '../exit-codes.js';
import type { Notice } from '../notices.js';
import { commaNum, fixed, humanNum } from '../numbers.js';
import type { ProgressSnapshot, RunPhase } from '../run-progress.js';

export interface ViewRow {
  readonly label: string;
  /** Shown at every width: side by side on a wide terminal, one under the other on a narrow one. */
  readonly parts: readonly string[];
  /** Shown only where they fit beside the parts. */
  readonly wideParts?: readonly string[];
  /** Between the parts on a wide terminal; ", " unless given. */
  readonly joiner?: string;
  /** A name or path: cut in the middle, where the least is lost, when it does not fit. */
  readonly path?: boolean;
  readonly tone?: 'good' | 'bad' | 'warn';
}

export interface ViewContext {
  /** SRC... and DEST as the user wrote them. */
  readonly source: string;
  readonly dest: string;
  readonly labels: Readonly<Record<Side, string>>;
  /** -h level: sizes in units of 1000 (2) or 1024 (3 and more). */
  readonly human: number;
}

const RUNNING: Readonly<Partial<Record<RunPhase, string>>> = {
  starting: 'starting the servers',
  listing: 'the source is listing files',
  transferring: 'transferring',
  finishing: 'finishing',
};
const ENDED: Readonly<Partial<Record<RunPhase, string>>> = { done: 'Done', failed: 'Failed', interrupted: 'Stopped' };

/** The fixed rows; the files in flight go between the delta and the notices (see inFlightRows). */
export function viewRows(s: ProgressSnapshot, c: ViewContext): { readonly top: ViewRow[]; readonly bottom: ViewRow[] } {
  const ended = ENDED[s.phase];
  const size = (n: number): string => bytes(n, c.human);
  const top: ViewRow[] = [{ label: 'Relay', parts: [c.source, `-> ${c.dest}`], joiner: ' ', path: true }];
  if (s.protocol !== undefined) {
    const settled = [`protocol ${s.protocol}`, `checksum ${s.checksum}`, s.compression && s.compression !== 'none' ? `compression ${s.compression}` : 'no compression'];
    top.push({ label: '', parts: s.incremental ? [...settled, 'incremental file list'] : settled });
  }
  const took = clock(s.elapsedSeconds);
  if (ended) {
    const meaning = s.exitCode === 0 ? 'success' : exitCodeMeaning(s.exitCode ?? 0);
    top.push({ label: ended, parts: [`exit ${s.exitCode}: ${meaning}`, `in ${took}`], tone: s.exitCode === 0 ? 'good' : 'bad' });
  } else {
    top.push({ label: 'Running', parts: [took, RUNNING[s.phase]!] });
  }
  const bottom = noticeRows(s, c);
  if (s.phase === 'starting') return { top, bottom };

  const f = s.files;
  const files = [ended ? `${commaNum(f.checked, 1)} checked` : `${commaNum(f.checked, 1)} of ${commaNum(f.listed, 1)} checked`];
  if (!f.listComplete && !ended) files.push('list still arriving');
  files.push(`${commaNum(f.sent, 1)} sent`);
  if (f.deleted > 0) files.push(`${commaNum(f.deleted, 1)} deleted`);
  top.push({ label: 'Files', parts: files });

  const b = s.bytes;
  if (ended) {
    const average = s.elapsedSeconds > 0 ? [`${size(b.done / s.elapsedSeconds)}/s on average`] : [];
    top.push({ label: 'Bytes', parts: [`${size(b.done)} sent`, ...average] });
  } else {
    const rate = b.rate === undefined ? [] : [`${size(b.rate)}/s`];
    const eta = b.eta === undefined || b.toSend === 0 ? [] : [`${clock(b.eta)} left`];
    top.push({ label: 'Bytes', parts: [`${size(b.done)} of ${size(b.toSend)}${b.toSendFinal ? '' : ' so far'}`, ...rate, ...eta] });
  }
  const delta = s.literal + s.matched;
  if (delta > 0) {
    top.push({ label: 'Delta', parts: [`${fixed((100 * s.matched) / delta, 0)}% saved`, `${size(s.literal)} literal`, `${size(s.matched)} matched`] });
  }

  return { top, bottom };
}

/** How many warnings and errors so far, and the latest ones. */
function noticeRows(s: ProgressSnapshot, c: ViewContext): ViewRow[] {
  if (s.warnings + s.errors === 0) return [];
  const counts = [plural(s.warnings, 'warning'), plural(s.errors, 'error')];
  return [{ label: 'Issues', parts: counts, tone: s.errors > 0 ? 'bad' : 'warn' }, ...s.notices.map((n) => ({ label: '', parts: [noticeLine(n, c.labels)] }))];
}

/** The files in flight, the one being sent first; `more` counts those not listed. */
export function inFlightRows(s: ProgressSnapshot, c: ViewContext): ViewRow[] {
  const rows: ViewRow[] = s.inFlight.map((f, i) => ({
    label: i === 0 ? 'Sending' : '',
    parts: [`${percent(f.done, f.size).padStart(4)} ${f.name}`],
    path: true,
    wideParts: [f.done > 0 ? `${bytes(f.done, c.human)} of ${bytes(f.size, c.human)}` : bytes(f.size, c.human)],
  }));
  const more = s.inFlightCount - s.inFlight.length;
  if (more > 0) rows.push({ label: rows.length === 0 ? 'Sending' : '', parts: [`and ${commaNum(more, 1)} more`] });
  return rows;
}

function noticeLine(n: Notice, labels: Readonly<Record<Side, string>>): string {
  const from = n.side ? `[${labels[n.side]}] ` : '';
  const text = n.text.split('\n')[0]!;
  // rsync's errors say what they are ("rsync error: ...", "rsync: ... failed"); a warning is told apart.
  return `${from}${n.kind === 'warning' && !/warning/i.test(text) ? 'warning: ' : ''}${text}`;
}

function plural(n: number, word: string): string {
  return `${commaNum(n, 1)} ${word}${n === 1 ? '' : 's'}`;
}

function percent(done: number, size: number): string {
  return `${size === 0 ? 100 : Math.floor((100 * done) / size)}%`;
}

/** A size in units (K, M, G of 1000, or of 1024 with -hh), always with its B. */
export function bytes(n: number, human: number): string {
  return `${humanNum(Math.round(n), Math.max(human, 2))}B`;
}

/** h:mm:ss */
export function clock(seconds: number): string {
  const s = Math.max(Math.round(seconds), 0);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
