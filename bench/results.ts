// What one bench run measured, as written to results.json and rendered into
// RESULTS.md. Raw samples are kept, so medians can be recomputed and a reader
// can see the spread for themselves.
import type { ScaleName } from './datasets.js';
import type { ContenderId, SuiteName } from './flags.js';

export const PHASES = ['initial', 'no-change', 'delta'] as const;
export type Phase = (typeof PHASES)[number];

/** One timed transfer. */
export interface Sample {
  readonly wallS: number;
  /** Bytes that crossed each leg (host-a's and host-b's link to this machine), both directions, IP headers included. */
  readonly legABytes: number;
  readonly legBBytes: number;
  /** CPU seconds used meanwhile by processes that are not the bench's (a shared machine), and stolen by the hypervisor. */
  readonly otherCpuS: number;
  readonly stealS: number;
  /** CPU seconds of the whole transfer: every process of the contender and of both hosts (rsync, sshd, ssh, socat, relaysync). */
  readonly transferCpuS: number;
  /** relaysync only: its process's CPU, and that of the children it waited for (ssh with -e). */
  readonly cpuS?: number;
  /** relaysync only: seconds its main thread, where the relay runs, was ready to run but waited for a CPU. */
  readonly cpuWaitS?: number;
  readonly childCpuS?: number;
  /** relaysync only: the process's peak resident set, in MB of 10^6 bytes (the targets are in MB). */
  readonly peakRssMB?: number;
}

/** One contender in one phase of one suite: its samples, or why there are none. */
export interface Cell {
  readonly suite: SuiteName;
  readonly phase: Phase;
  readonly contender: ContenderId;
  readonly samples: Sample[];
  /** The contender does not take part (e.g. scp in a delta phase, or an option relaysync refuses). */
  skipped?: string;
  /** A run failed or its result did not match the source; the message says which and how. */
  failed?: string;
  /** A run went past the suite's time limit and was stopped, and how far it had got. Later rounds are not run. */
  stopped?: { readonly afterS: number; readonly note: string };
}

export interface DatasetSummary {
  readonly suite: SuiteName;
  readonly description: string;
  readonly files: number;
  readonly bytes: number;
  /** Files the delta phase changes. */
  readonly changedFiles: number;
}

/** relaysync alone on a tree that stresses its memory. */
export interface ScaleResult {
  readonly name: ScaleName;
  readonly label: string;
  readonly entries: number;
  readonly bytes: number;
  sample?: Sample;
  failed?: string;
}

/** Throughput of one bulk stream through each network setup, to show the delaying relay is not the bottleneck. */
export interface LinkCheck {
  /** sshd as it is; the relay without delay; the rate limit alone; relay, delay and rate limit (the WAN suite's leg). */
  readonly setup: 'plain' | 'relay' | 'rate' | 'wan';
  readonly label: string;
  readonly bytes: number;
  readonly wallS: number;
}

export interface WanSetup {
  readonly oneWayDelayMs: number;
  readonly rateMbit: number;
  readonly checks: LinkCheck[];
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly rsync: string;
  readonly openssh: string;
  readonly socat: string;
  readonly ssh2: string;
}

export interface Results {
  readonly command: string;
  readonly startedAt: string;
  durationS: number;
  readonly smoke: boolean;
  readonly rounds: number;
  /** How long each run waited at most for other work on the machine to stop. */
  readonly quietWaitS: number;
  /** The rsync options every rsync-based contender runs with. */
  readonly rsyncOptions: readonly string[];
  readonly machine: Machine;
  readonly datasets: DatasetSummary[];
  readonly cells: Cell[];
  readonly scale: ScaleResult[];
  wan?: WanSetup;
}
