// The benchmark's smoke run: one round of tiny datasets through every suite,
// every contender and the WAN setup, so the bench script cannot rot between
// full runs. It checks that the results are complete and well-formed, never
// how fast anything was: timing is not a test.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { CONTENDERS } from '../../bench/flags.js';
import { BEGIN, END } from '../../bench/report.js';
import { PHASES, type Results, type Sample } from '../../bench/results.js';
import { run } from '../harness/run.js';
import { underCi } from '../lab/ci.js';

const benchMain = fileURLToPath(new URL('../../bench/main.js', import.meta.url));
const treeSuites = ['small', 'large', 'mixed', 'wan'] as const;

// Network namespaces and tc need root; CI runs as root, so there a missing privilege is a failure.
const needsRoot = (() => {
  if (process.getuid?.() === 0) return false;
  const reason = 'the bench needs root (network namespaces, tc)';
  if (underCi()) throw new Error(`${reason}; CI must run the tests as root`);
  process.stderr.write(`\n*** SKIPPING THE BENCH SMOKE RUN: ${reason} ***\n\n`);
  return reason;
})();

let out: string;
let data: string;

before(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'relaysync-bench-smoke-'));
  data = path.join(out, 'data');
});

after(async () => {
  await rm(out, { recursive: true, force: true });
});

function assertSample(sample: Sample, what: string, ours: boolean): void {
  assert.ok(Number.isFinite(sample.wallS) && sample.wallS > 0, `${what}: wall time ${sample.wallS}`);
  for (const bytes of [sample.legABytes, sample.legBBytes]) assert.ok(Number.isInteger(bytes) && bytes > 0, `${what}: leg bytes ${bytes}`);
  assert.ok(sample.otherCpuS >= 0 && Number.isFinite(sample.stealS), `${what}: other load ${sample.otherCpuS}`);
  assert.ok(sample.transferCpuS > 0, `${what}: transfer CPU ${sample.transferCpuS}`);
  if (ours) {
    assert.ok((sample.cpuS ?? 0) > 0, `${what}: no CPU time`);
    assert.ok((sample.cpuWaitS ?? -1) >= 0, `${what}: no wait for a CPU recorded`);
    assert.ok((sample.peakRssMB ?? 0) > 0, `${what}: no peak RSS`);
  }
}

test('npm run bench -- --smoke measures every contender in every suite and writes RESULTS.md', { skip: needsRoot }, async () => {
  const result = await run(process.execPath, [benchMain, '--smoke', '--out', out, '--data-dir', data, '--drop-data'], { timeoutMs: 10 * 60_000 });
  assert.equal(result.code, 0, result.stderr);
  const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as Results;

  assert.equal(results.smoke, true);
  assert.equal(results.rounds, 1);
  assert.ok(results.machine.cpus > 0 && results.machine.memoryGiB > 0);
  for (const suite of treeSuites) {
    assert.ok(results.datasets.some((d) => d.suite === suite && d.files > 0 && d.changedFiles > 0), `no dataset for ${suite}`);
    for (const phase of PHASES) {
      for (const contender of CONTENDERS) {
        const what = `${suite} ${phase} ${contender}`;
        const cell = results.cells.find((c) => c.suite === suite && c.phase === phase && c.contender === contender);
        assert.ok(cell !== undefined, `${what}: missing`);
        assert.equal(cell.failed, undefined, `${what}: ${cell.failed}`);
        if (cell.skipped !== undefined || cell.stopped !== undefined) continue;
        assert.equal(cell.samples.length, 1, `${what}: ${cell.samples.length} samples`);
        assertSample(cell.samples[0]!, what, contender.startsWith('relaysync'));
      }
    }
  }
  // Every contender runs; only scp sits out the phases after a full copy (and may be stopped over the WAN).
  for (const cell of results.cells.filter((c) => c.skipped !== undefined)) {
    assert.ok(cell.contender === 'scp' && cell.skipped === 'full copies only', `${cell.contender} skipped: ${cell.skipped}`);
  }
  assert.deepEqual(
    results.wan?.checks.map((c) => c.setup),
    ['plain', 'relay', 'rate', 'wan'],
  );
  for (const check of results.wan!.checks) assert.ok(check.wallS > 0 && check.bytes > 0, check.label);
  assert.deepEqual(
    results.scale.map((s) => s.name),
    ['entries-100k', 'entries-1m', 'file-1m', 'file-8g'],
  );
  for (const s of results.scale) {
    assert.equal(s.failed, undefined, `scale ${s.name}: ${s.failed}`);
    assertSample(s.sample!, `scale ${s.name}`, true);
  }

  const report = await readFile(path.join(out, 'RESULTS.md'), 'utf8');
  assert.ok(report.indexOf(BEGIN) >= 0 && report.indexOf(END) > report.indexOf(BEGIN), 'generated markers');
  assert.ok(report.includes(results.command), 'the command line');
  for (const heading of ['### Targets', '### Other work on the machine', '### small', '### large', '### mixed', '### The WAN legs', '### wan', '### scale']) {
    assert.ok(report.includes(heading), heading);
  }
  assert.equal(existsSync(data), false, '--drop-data left the datasets');
});
