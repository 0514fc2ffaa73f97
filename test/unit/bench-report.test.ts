// The parts of the bench that can be checked without running it: the
// medians it reports, and RESULTS.md keeping the notes written below the
// generated part when the bench rewrites it.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BEGIN, END, writeReport } from '../../bench/report.js';
import type { Results } from '../../bench/results.js';
import { spread } from '../../bench/stats.js';

test('spread: median of odd and even counts, with the range', () => {
  assert.deepEqual(spread([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.deepEqual(spread([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, n: 4 });
  assert.equal(spread([]), undefined);
});

function results(command: string): Results {
  return {
    command,
    startedAt: '2026-01-01T00:00:00Z',
    durationS: 60,
    smoke: false,
    rounds: 5,
    quietWaitS: 10,
    rsyncOptions: ['-a'],
    machine: { cpus: 2, cpuModel: 'cpu', memoryGiB: 1, kernel: 'Linux', node: 'v20', rsync: 'rsync', openssh: 'OpenSSH', socat: 'socat', ssh2: 'ssh2' },
    datasets: [],
    cells: [],
    scale: [],
  };
}

test('writeReport replaces the generated part of RESULTS.md and keeps the notes around it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'relaysync-bench-report-'));
  try {
    await writeReport(dir, results('first command'));
    const file = path.join(dir, 'RESULTS.md');
    await appendFile(file, '\n## Findings\n\nkept by hand\n');
    await writeReport(dir, results('second command'));
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith('# relaysync benchmark results\n'));
    assert.ok(text.includes('second command') && !text.includes('first command'));
    assert.ok(text.indexOf(END) < text.indexOf('kept by hand'));
    assert.equal(text.split(BEGIN).length, 2);
    assert.ok(text.includes('not measured'), 'targets without measurements are not judged');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
