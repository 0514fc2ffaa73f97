// What every contender is given: the lab, the SSH profile and network it
// runs over, and where it may keep scratch files.
import type { Lab } from '../test/lab/lab.js';
import type { Interference } from './interference.js';
import type { Network } from './network.js';
import type { SshProfile } from './ssh-profile.js';

/** What every rsync-based contender runs with: a mirror, as in relaysync's README. */
export const RSYNC_OPTIONS: readonly string[] = ['-a', '--delete'];

export interface BenchContext {
  readonly lab: Lab;
  readonly profile: SshProfile;
  readonly network: Network;
  readonly interference: Interference;
  /** Scratch space on this machine (two-step's temporary directories, usage files). */
  readonly workDir: string;
  readonly profileDir: string | undefined;
}

/** Copy the contents of `source` on host-a to `dest` on host-b. */
export interface Transfer {
  readonly source: string;
  readonly dest: string;
  /** Names the run in profile files: suite, phase, round. */
  readonly label: string;
  /** How long the transfer may take: a contender still running then is stopped (TimeLimitExceeded). */
  readonly limitMs: number;
}
