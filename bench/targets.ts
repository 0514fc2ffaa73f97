// Issue 6's targets, judged on the medians of one bench run. A target whose
// measurements are missing (a subset run, a failed contender) is reported as
// not measured, never as met.
import type { Cell, Phase, Results } from './results.js';
import type { ContenderId, SuiteName } from './flags.js';
import { spread } from './stats.js';

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** Undefined when it could not be judged. */
  readonly met: boolean | undefined;
}

export function medianWall(results: Results, suite: SuiteName, phase: Phase, contender: ContenderId): number | undefined {
  const cell: Cell | undefined = results.cells.find((c) => c.suite === suite && c.phase === phase && c.contender === contender);
  return spread(cell?.samples.map((s) => s.wallS) ?? [])?.median;
}

function ratioCheck(results: Results, suite: SuiteName, phase: Phase, against: ContenderId, limit: number, name: string): TargetCheck {
  const target = `${suite}, ${phase}: relaysync ≤ ${limit.toFixed(2)}x ${name}`;
  const ours = medianWall(results, suite, phase, 'relaysync');
  const theirs = medianWall(results, suite, phase, against);
  if (ours === undefined || theirs === undefined) return { target, measured: 'not measured', met: undefined };
  const ratio = ours / theirs;
  return { target, measured: `${ratio.toFixed(2)}x (${ours.toFixed(2)} s vs ${theirs.toFixed(2)} s)`, met: ratio <= limit };
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const suite of ['small', 'large', 'mixed'] as const) {
    for (const phase of ['initial', 'no-change'] as const) {
      checks.push(ratioCheck(results, suite, phase, 'tunnel', 1.0, 'the tunnel trick'));
      checks.push(ratioCheck(results, suite, phase, 'direct', 1.25, 'direct host-to-host'));
    }
  }

  const million = results.scale.find((s) => s.name === 'entries-1m');
  const millionRss = million?.sample?.peakRssMB;
  checks.push({
    target: 'broker peak RSS ≤ 200 MB with 1,000,000 entries',
    measured: millionRss === undefined ? 'not measured' : `${millionRss.toFixed(1)} MB (${million!.entries.toLocaleString('en')} entries)`,
    met: millionRss === undefined ? undefined : millionRss <= 200,
  });

  const smallFile = results.scale.find((s) => s.name === 'file-1m');
  const largeFile = results.scale.find((s) => s.name === 'file-8g');
  const small = smallFile?.sample?.peakRssMB;
  const large = largeFile?.sample?.peakRssMB;
  checks.push({
    target: 'broker peak RSS flat (within 20 MB) from a 1 MiB to an 8 GiB file',
    measured:
      small === undefined || large === undefined
        ? 'not measured'
        : `${small.toFixed(1)} MB → ${large.toFixed(1)} MB (${large - small >= 0 ? '+' : ''}${(large - small).toFixed(1)} MB)`,
    met: small === undefined || large === undefined ? undefined : Math.abs(large - small) <= 20,
  });

  // Same bytes moved, so throughput compares as the inverse of wall time.
  const ours = medianWall(results, 'wan', 'initial', 'relaysync');
  const direct = medianWall(results, 'wan', 'initial', 'direct');
  checks.push({
    target: 'WAN full copy: relaysync throughput ≥ 90% of direct host-to-host',
    measured: ours === undefined || direct === undefined ? 'not measured' : `${((100 * direct) / ours).toFixed(0)}% (${ours.toFixed(2)} s vs ${direct.toFixed(2)} s)`,
    met: ours === undefined || direct === undefined ? undefined : direct / ours >= 0.9,
  });
  return checks;
}
