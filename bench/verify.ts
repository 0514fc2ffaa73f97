// Checks after every run, outside the timed part, that the destination is
// what the contender claims to make: a timing of a wrong copy is worthless.
// rsync itself compares the two trees on this machine (the hosts share its
// filesystem), listing every difference in a dry run.
import { run } from '../test/harness/run.js';
import type { DataFile } from './datasets.js';
import path from 'node:path';

/**
 * `exact`: what rsync -a makes: the same entries, sizes, times, modes and
 * links. `contents`: what scp makes: the same files and sizes, links
 * followed, no metadata.
 */
export type Fidelity = 'exact' | 'contents';

export async function verifyCopy(source: string, dest: string, fidelity: Fidelity, changed: readonly DataFile[] = []): Promise<void> {
  const compare = fidelity === 'exact' ? ['-a'] : ['-rL', '--size-only'];
  const result = await run('rsync', [...compare, '-n', '-i', '--delete', `${source}/`, `${dest}/`], { timeoutMs: 30 * 60_000 });
  if (result.code !== 0) throw new Error(`comparing ${dest} with ${source} failed: ${result.stderr}`);
  const differences = result.stdout.split('\n').filter((line) => line !== '');
  if (differences.length > 0) {
    throw new Error(`${dest} differs from ${source} in ${differences.length} entries, e.g.:\n${differences.slice(0, 5).join('\n')}`);
  }
  // The quick check above trusts sizes and times; the changed files' bytes are compared too.
  for (const f of changed) {
    const same = await run('cmp', ['--quiet', path.join(source, f.path), path.join(dest, f.path)]);
    if (same.code !== 0) throw new Error(`${f.path} on host-b does not have the changed contents`);
  }
}
