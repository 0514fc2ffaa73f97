// What a user reads on stdout after an rsync-style run, taken apart: the
// file-list header, the lines -v prints for each item, the --stats block and
// the closing summary. relaysync's output and plain rsync's parse alike, so
// the two can be compared line by line.
import assert from 'node:assert/strict';

export const incrementalHeader = 'sending incremental file list';
export const buildingHeader = 'building file list ... done';

export interface TransferOutput {
  /** The file-list header, when -v printed one. */
  readonly header: string | undefined;
  /**
   * The lines -v printed between the header and the first empty line: item
   * names, `x -> target` for symlinks, `deleting x`. `created directory ...`
   * is left out (it names the destination path, which differs between runs).
   */
  readonly items: readonly string[];
  /** `Label: value` lines of --stats, by label. */
  readonly stats: ReadonlyMap<string, string>;
  /** From `sent N bytes  received M bytes  R bytes/sec`. */
  readonly sent: number | undefined;
  readonly received: number | undefined;
  /** From `total size is N  speedup is S`. */
  readonly totalSize: number | undefined;
}

/** The --stats lines that depend only on the trees and options, so rsync and relaysync must print the same values. */
export const deterministicStats = [
  'Number of files',
  'Number of created files',
  'Number of deleted files',
  'Number of regular files transferred',
  'Total file size',
  'Total transferred file size',
  'Literal data',
  'Matched data',
] as const;

/** The lines rsync's --stats block always has (protocol 31+ adds the created and deleted counts). */
export const statsLines = [
  'Number of files',
  'Number of regular files transferred',
  'Total file size',
  'Total transferred file size',
  'Literal data',
  'Matched data',
  'File list size',
  'Total bytes sent',
  'Total bytes received',
] as const;

export function parseOutput(stdout: string): TransferOutput {
  const lines = stdout.split('\n');
  const headerAt = lines.findIndex((line) => line === incrementalHeader || line === buildingHeader);
  const items: string[] = [];
  if (headerAt >= 0) {
    for (const line of lines.slice(headerAt + 1)) {
      if (line === '') break;
      if (!line.startsWith('created directory ')) items.push(line);
    }
  }
  const stats = new Map<string, string>();
  let sent: number | undefined;
  let received: number | undefined;
  let totalSize: number | undefined;
  for (const line of lines) {
    const summary = /^sent ([\d,.]+) bytes {2}received ([\d,.]+) bytes {2}[\d,.]+ bytes\/sec$/.exec(line);
    if (summary) {
      sent = number(summary[1]!);
      received = number(summary[2]!);
      continue;
    }
    const total = /^total size is ([\d,.]+) {2}speedup is [\d,.]+( \(DRY RUN\))?$/.exec(line);
    if (total) {
      totalSize = number(total[1]!);
      continue;
    }
    const stat = /^((?:Number|Total|Literal|Matched|File list) [^:]*): (.*)$/.exec(line);
    if (stat) stats.set(stat[1]!, stat[2]!);
  }
  return { header: headerAt >= 0 ? lines[headerAt] : undefined, items, stats, sent, received, totalSize };
}

/** The leading number of a --stats value: `7 (reg: 4, dir: 3)` is 7, `1,234 bytes` is 1234. */
export function statNumber(output: TransferOutput, label: string): number {
  const value = output.stats.get(label);
  assert.ok(value !== undefined, `no "${label}:" line in the --stats output (lines: ${[...output.stats.keys()].join(', ')})`);
  const match = /^([\d,]+)/.exec(value);
  assert.ok(match, `"${label}: ${value}" does not start with a number`);
  return number(match[1]!);
}

function number(text: string): number {
  return Number(text.replaceAll(',', ''));
}
