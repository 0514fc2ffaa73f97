// One timed transfer: wall time, the bytes each leg carried meanwhile, and
// the CPU the rest of the machine used. Counters are read outside the timed
// part.
import type { BenchContext } from './context.js';
import type { Sample } from './results.js';
import { timed } from './timing.js';
import { run, type RunOptions, type RunResult } from '../test/harness/run.js';

/** What every contender's run yields; relaysync adds its own process's figures. */
export type Measured = Omit<Sample, 'cpuS' | 'cpuWaitS' | 'childCpuS' | 'peakRssMB'>;

export async function measured(ctx: BenchContext, body: () => Promise<void>): Promise<Measured> {
  const before = await ctx.network.legBytes();
  const load = ctx.interference.read();
  const { wallS } = await timed(body);
  const other = ctx.interference.since(load);
  const after = await ctx.network.legBytes();
  return { wallS, legABytes: after.a - before.a, legBBytes: after.b - before.b, ...other };
}

/** Throws with what the command printed when it did not exit 0. */
export function mustSucceed(result: RunResult, what: string): void {
  if (result.code === 0) return;
  const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-8).join('\n');
  throw new Error(`${what} exited with ${result.code ?? result.signal}:\n${said}`);
}

/** Long enough for the slowest transfer in the bench (a million entries, 8 GiB) on a slow machine. */
export const TRANSFER_TIMEOUT_MS = 60 * 60_000;

/** A transfer ran past its time limit and was stopped: a result (it is that slow), not a failure. */
export class TimeLimitExceeded extends Error {
  constructor(readonly limitMs: number) {
    super(`still running after ${limitMs / 1000} s`);
  }
}

/** Runs a command of a transfer; past `limitMs` its process group is killed and TimeLimitExceeded thrown. */
export async function runWithin(command: string, args: readonly string[], options: RunOptions, limitMs: number): Promise<RunResult> {
  try {
    return await run(command, args, { ...options, timeoutMs: limitMs });
  } catch (err) {
    // The harness says so in its message when it killed the command on timeout.
    if ((err as Error).message.includes('did not finish within')) throw new TimeLimitExceeded(limitMs);
    throw err;
  }
}
