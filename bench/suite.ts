// One tree suite: every contender copies host-a's tree to host-b in three
// phases (full copy into an empty directory, re-run with nothing changed,
// re-run after 1% of the files changed), interleaved round by round
// (A B C A B C ...) so that drift of the machine over time spreads over all
// contenders alike. The destination is put in the phase's starting state
// before each run, outside the timed part, and checked after it.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../test/harness/run.js';
import type { Contender } from './contenders.js';
import type { BenchContext } from './context.js';
import type { Dataset } from './datasets.js';
import { changeFiles, filesToChange } from './delta.js';
import type { ContenderId, SuiteName } from './flags.js';
import { TimeLimitExceeded } from './measure.js';
import { PHASES, type Cell, type Phase } from './results.js';
import { verifyCopy } from './verify.js';

export interface SuiteRun {
  readonly ctx: BenchContext;
  readonly suite: SuiteName;
  readonly dataset: Dataset;
  readonly contenders: readonly Contender[];
  /** Contenders that cannot run here, and why. */
  readonly unavailable: ReadonlyMap<ContenderId, string>;
  readonly rounds: number;
  /** A run still going after this long is stopped, and the contender reported as that slow. */
  readonly limitMs: number;
  /** How long a run waits for other work on the machine to stop before it starts anyway (and records it). */
  readonly quietWaitMs: number;
  readonly say: (text: string) => void;
}

async function sh(command: string, args: string[]): Promise<void> {
  const result = await run(command, args, { timeoutMs: 30 * 60_000 });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** Written-back pages of the previous run must not be flushed during the next one. */
const settle = (): Promise<void> => sh('sync', []);

export async function runTreeSuite(s: SuiteRun): Promise<Cell[]> {
  const { lab } = s.ctx;
  // A tree of hard links to the cache: free to make, and the delta phase can change it without touching the cache.
  const source = path.join(lab.a.dataDir, s.suite);
  const dest = path.join(lab.b.dataDir, s.suite);
  const changed = filesToChange(s.dataset.files);
  await rm(source, { recursive: true, force: true });
  await sh('cp', ['-al', s.dataset.root, source]);
  const cells: Cell[] = [];
  try {
    for (const phase of PHASES) {
      if (phase === 'delta') await changeFiles(source, changed);
      // Every run starts from the phase's state: nothing, or the unchanged tree (hard links to the cache again).
      const reset = async (): Promise<void> => {
        await rm(dest, { recursive: true, force: true });
        if (phase !== 'initial') await sh('cp', ['-al', s.dataset.root, dest]);
      };
      cells.push(...(await runPhase(s, phase, source, dest, phase === 'delta' ? changed : [], reset)));
    }
  } finally {
    await rm(source, { recursive: true, force: true });
    await rm(dest, { recursive: true, force: true });
  }
  return cells;
}

async function runPhase(
  s: SuiteRun,
  phase: Phase,
  source: string,
  dest: string,
  changed: Parameters<typeof verifyCopy>[3],
  reset: () => Promise<void>,
): Promise<Cell[]> {
  const cells = s.contenders.map((c): Cell => {
    const cell: Cell = { suite: s.suite, phase, contender: c.id, samples: [] };
    const unavailable = s.unavailable.get(c.id);
    if (unavailable !== undefined) cell.skipped = unavailable;
    else if (c.fullCopiesOnly && phase !== 'initial') cell.skipped = 'full copies only';
    return cell;
  });
  for (let round = 1; round <= s.rounds; round++) {
    for (const [i, c] of s.contenders.entries()) {
      const cell = cells[i]!;
      if (cell.skipped !== undefined || cell.failed !== undefined || cell.stopped !== undefined) continue;
      const label = `${s.suite}-${phase}-${round}`;
      try {
        await reset();
        await settle();
        await s.ctx.interference.waitForQuiet(s.quietWaitMs);
        const sample = await c.transfer(s.ctx, { source, dest, label, limitMs: s.limitMs });
        await verifyCopy(source, dest, c.id === 'scp' ? 'contents' : 'exact', changed);
        cell.samples.push(sample);
        s.say(`[${s.suite} ${phase} ${round}/${s.rounds}] ${c.id}: ${sample.wallS.toFixed(2)} s`);
      } catch (err) {
        if (err instanceof TimeLimitExceeded) {
          const note = `stopped after ${err.limitMs / 1000} s in round ${round}, with ${await countFiles(dest)} of ${s.dataset.files.length} files on host-b`;
          cell.stopped = { afterS: err.limitMs / 1000, note };
          s.say(`[${s.suite} ${phase} ${round}/${s.rounds}] ${c.id}: ${note}`);
          continue;
        }
        // One broken contender must not cost the whole bench: it is reported as failed and left out from here on.
        cell.failed = `round ${round}: ${(err as Error).message}`;
        s.say(`[${s.suite} ${phase} ${round}/${s.rounds}] ${c.id} FAILED: ${cell.failed}`);
      }
    }
  }
  return cells;
}

/** Regular files under `dir`: how far a stopped copy had got. */
async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}
