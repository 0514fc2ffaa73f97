// Wall-clock timing of one step, on the monotonic clock.
import { performance } from 'node:perf_hooks';

export async function timed<T>(body: () => Promise<T>): Promise<{ value: T; wallS: number }> {
  const start = performance.now();
  const value = await body();
  return { value, wallS: (performance.now() - start) / 1000 };
}
