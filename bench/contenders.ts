// The six ways of copying host-a's tree to host-b that the bench compares,
// each run the way its users run it. Every contender copies `source/` to
// `dest/` with the same rsync options (scp has none); what is not the copy
// itself (a temporary directory, switching the direct route on) is done
// outside the timed part.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { relaysyncBin, run } from '../test/harness/run.js';
import { RSYNC_OPTIONS, type BenchContext, type Transfer } from './context.js';
import type { ContenderId } from './flags.js';
import { measured, mustSucceed, runWithin } from './measure.js';
import { rsyncLine, ssh } from './remote.js';
import type { Sample } from './results.js';
import { tunnelTransfer } from './tunnel.js';
import type { Usage } from './usage-hook.js';

// --import takes a URL; the hook sits beside this file in dist/bench/.
const usageHook = new URL('./usage-hook.js', import.meta.url).href;

export interface Contender {
  readonly id: ContenderId;
  readonly title: string;
  /** No delta and no quick check: it takes part only in full copies. */
  readonly fullCopiesOnly: boolean;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(ctx: BenchContext): Promise<string | undefined>;
  transfer(ctx: BenchContext, t: Transfer): Promise<Sample>;
}

async function installed(program: string): Promise<string | undefined> {
  const found = await run('sh', ['-c', `command -v ${program}`]);
  return found.code === 0 ? undefined : `${program} is not installed (apt-get install ${program})`;
}

function relaysync(id: 'relaysync' | 'relaysync-e-ssh', title: string, openSsh: boolean): Contender {
  const shellArgs = (ctx: BenchContext): string[] => (openSsh ? ['-e', ctx.profile.rsh] : []);
  const command = async (ctx: BenchContext, t: Transfer, usageFile: string) => {
    const profiling = ctx.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`, `--cpu-prof-name=${id}-${t.label}.cpuprofile`];
    const env = { ...ctx.profile.env, RELAYSYNC_BENCH_USAGE: usageFile };
    const args = ['--import', usageHook, ...profiling, relaysyncBin, ...shellArgs(ctx), ...RSYNC_OPTIONS, `host-a:${t.source}/`, `host-b:${t.dest}/`];
    return runWithin(process.execPath, args, { env }, t.limitMs);
  };
  return {
    id,
    title,
    fullCopiesOnly: false,
    unavailable: async () => undefined,
    async transfer(ctx, t) {
      const usageFile = path.join(ctx.workDir, 'usage.json');
      await rm(usageFile, { force: true });
      const m = await measured(ctx, async () => mustSucceed(await command(ctx, t, usageFile), id));
      const usage = JSON.parse(await readFile(usageFile, 'utf8')) as Usage;
      return { ...m, cpuS: usage.cpuS, cpuWaitS: usage.cpuWaitS, childCpuS: usage.childCpuS, peakRssMB: usage.peakRssMB };
    },
  };
}

const tunnel: Contender = {
  id: 'tunnel',
  title: 'socat tunnel trick (ssh -L + ssh -R)',
  fullCopiesOnly: false,
  unavailable: () => installed('socat'),
  transfer: (ctx, t) => tunnelTransfer(ctx, t, RSYNC_OPTIONS),
};

const scp: Contender = {
  id: 'scp',
  title: 'scp -3 -r',
  fullCopiesOnly: true,
  unavailable: () => installed('scp'),
  async transfer(ctx, t) {
    // scp -r makes `dest` a copy of `source` when `dest` does not exist yet, which a full copy guarantees.
    await access(t.dest).then(
      () => Promise.reject(new Error(`scp needs ${t.dest} not to exist`)),
      () => undefined,
    );
    return measured(ctx, async () => {
      const result = await runWithin('scp', ['-3', '-r', '-q', '-F', ctx.profile.config, `host-a:${t.source}`, `host-b:${t.dest}`], { env: ctx.profile.env }, t.limitMs);
      mustSucceed(result, 'scp -3');
    });
  },
};

const twoStep: Contender = {
  id: 'two-step',
  title: 'two-step rsync through a local directory',
  fullCopiesOnly: false,
  unavailable: async () => undefined,
  async transfer(ctx, t) {
    // A temporary directory, as its name says: made for the run and removed after it, so every run pulls everything.
    const staging = await mkdtemp(path.join(ctx.workDir, 'two-step-'));
    try {
      return await measured(ctx, async () => {
        const deadline = performance.now() + t.limitMs;
        const rsync = (from: string, to: string) =>
          runWithin('rsync', [...RSYNC_OPTIONS, '-e', ctx.profile.rsh, from, to], { env: ctx.profile.env }, Math.max(1, deadline - performance.now()));
        mustSucceed(await rsync(`host-a:${t.source}/`, `${staging}/`), 'rsync host-a to local');
        mustSucceed(await rsync(`${staging}/`, `host-b:${t.dest}/`), 'rsync local to host-b');
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  },
};

const direct: Contender = {
  id: 'direct',
  title: 'direct rsync host-a to host-b (route on)',
  fullCopiesOnly: false,
  unavailable: async () => undefined,
  transfer: (ctx, t) =>
    ctx.network.withDirectRoute(() =>
      measured(ctx, async () => {
        // As a user does it: log in to the source and run rsync there, over SSH to the destination.
        const line = rsyncLine([...RSYNC_OPTIONS, '-e', ctx.profile.rsh, `${t.source}/`, `${ctx.profile.peerOfA}:${t.dest}/`]);
        mustSucceed(await ssh(ctx, t.limitMs, 'host-a', line), 'rsync on host-a to host-b');
      }),
    ),
};

const all: readonly Contender[] = [
  relaysync('relaysync', 'relaysync (built-in SSH)', false),
  relaysync('relaysync-e-ssh', 'relaysync -e ssh (OpenSSH)', true),
  tunnel,
  scp,
  twoStep,
  direct,
];

export function contenders(ids: readonly ContenderId[]): Contender[] {
  return all.filter((c) => ids.includes(c.id));
}
