// One lab for a whole end-to-end test file: started before its first test,
// stopped after its last, with a local scratch directory for the machine
// relaysync runs on (the hosts share this machine's filesystem, each in its
// own data directory).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { startLab, type Lab, type LabHost } from '../lab/lab.js';
import { runRelaysync, type RunOptions, type RunResult } from '../harness/run.js';

export interface LabSession {
  readonly lab: Lab;
  /** A directory on the machine relaysync runs on. */
  readonly local: string;
  /** relaysync with the lab's HOME (its ssh config, keys and known_hosts). */
  relaysync(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** `alias:path` for a path on `host`. */
  remote(host: LabHost, where: string): string;
}

/**
 * Registers the lab's start and stop with node:test; use the result inside
 * tests only. `setup` runs once the lab is up (node:test may start a file's
 * own top-level `before` hooks before this one has finished).
 */
export function labSession(setup?: (session: LabSession) => Promise<void>): LabSession {
  let lab: Lab | undefined;
  let local = '';
  before(async () => {
    local = await mkdtemp(path.join(os.tmpdir(), 'relaysync-e2e-local-'));
    lab = await startLab();
    await setup?.(session);
  });
  after(async () => {
    await lab?.stop();
    if (local !== '') await rm(local, { recursive: true, force: true });
  });
  const session: LabSession = {
    get lab() {
      if (lab === undefined) throw new Error('the lab is not started: use the session inside a test');
      return lab;
    },
    get local() {
      return local;
    },
    relaysync(args, options = {}) {
      return runRelaysync(args, { ...options, env: { ...this.lab.env, ...options.env } });
    },
    remote(host, where) {
      return `${host.alias}:${where}`;
    },
  };
  return session;
}
