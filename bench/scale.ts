// relaysync alone on the trees that would expose memory that grows with the
// run: a hundred thousand and a million entries (the broker follows every
// file list), and one small against one very large file (every byte of it
// passes through the broker). One full copy each, timed and checked like
// the suites', with relaysync's peak RSS read from inside its process.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../test/harness/run.js';
import type { Contender } from './contenders.js';
import type { BenchContext } from './context.js';
import { prepareDataset, scaleSpec, type ScaleName } from './datasets.js';
import { TRANSFER_TIMEOUT_MS } from './measure.js';
import type { ScaleResult } from './results.js';
import { verifyCopy } from './verify.js';

export const SCALE_TREES: readonly ScaleName[] = ['entries-100k', 'entries-1m', 'file-1m', 'file-8g'];

export async function runScale(
  ctx: BenchContext,
  relaysync: Contender,
  options: { smoke: boolean; dataDir: string; quietWaitMs: number; say: (text: string) => void },
): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const name of SCALE_TREES) {
    const dataset = await prepareDataset(scaleSpec(name, options.smoke), options.dataDir, options.say);
    const result: ScaleResult = { name, label: dataset.description, entries: dataset.entries, bytes: dataset.bytes };
    results.push(result);
    // The cached tree is only read, so it is the source itself.
    const dest = path.join(ctx.lab.b.dataDir, `scale-${name}`);
    try {
      await rm(dest, { recursive: true, force: true });
      await run('sync', []);
      await ctx.interference.waitForQuiet(options.quietWaitMs);
      const sample = await relaysync.transfer(ctx, { source: dataset.root, dest, label: `scale-${name}`, limitMs: TRANSFER_TIMEOUT_MS });
      await verifyCopy(dataset.root, dest, 'exact');
      result.sample = sample;
      options.say(`[scale ${name}] relaysync: ${sample.wallS.toFixed(2)} s, peak RSS ${sample.peakRssMB?.toFixed(1)} MB`);
    } catch (err) {
      result.failed = (err as Error).message;
      options.say(`[scale ${name}] relaysync FAILED: ${result.failed}`);
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  }
  return results;
}
