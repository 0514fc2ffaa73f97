// Other work on this machine while a contender runs. The bench machine may
// be shared, and with two cores any other busy process shows up in the wall
// times, so every run waits (a bounded time) for the machine to be quiet,
// and records the CPU time that user-space processes other than the
// bench's used while it ran, and what the bench's own used: the whole
// transfer's CPU cost, which contention changes far less than wall time. The bench's are the bench itself and its
// descendants, and every process of the two hosts' namespaces. Kernel
// threads are left out: their work (writeback, network softirqs) is largely
// the transfer's own.
//
// Summing utime + stime + cutime + cstime of every other process at the
// start and at the end, and taking the difference, also counts processes
// that started and ended in between, through the parent that waited for
// them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../test/lab/lab.js';

/** /proc reports CPU time in USER_HZ ticks, which is 100 on Linux. */
const USER_HZ = 100;
const PF_KTHREAD = 0x00200000;
/** A machine whose other processes use at most this fraction of all cores, with the bench idle, counts as quiet. */
export const QUIET_FRACTION = 0.1;
const QUIET_WINDOW_MS = 500;

interface Reading {
  /** CPU seconds of the other processes, their waited-for children included. */
  readonly otherS: number;
  /** The same for the bench's own processes: the contender's and both hosts'. */
  readonly oursS: number;
  /** Seconds the hypervisor gave to other machines, over all cores. */
  readonly stealS: number;
}

export interface OtherLoad {
  /** CPU seconds used by other user-space processes during the run. */
  readonly otherCpuS: number;
  /** CPU seconds the run itself used, in every process on both hosts and here. */
  readonly transferCpuS: number;
  readonly stealS: number;
}

interface Process {
  readonly ppid: number;
  readonly kernel: boolean;
  readonly cpuS: number;
}

function processes(): Map<number, Process> {
  const found = new Map<number, Process>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name: state ppid pgrp session tty tpgid flags ... utime(11) stime cutime cstime.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.set(Number(name), {
        ppid: Number(f[1]),
        kernel: (Number(f[6]) & PF_KTHREAD) !== 0,
        cpuS: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / USER_HZ,
      });
    } catch {
      // Gone while the directory was read.
    }
  }
  return found;
}

function steal(): number {
  return Number(readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)[8]) / USER_HZ;
}

export class Interference {
  readonly cores: number;

  constructor(private readonly lab: Lab) {
    this.cores = readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d/.test(line)).length;
  }

  private hostPids(): Set<number> {
    const pids = [this.lab.a, this.lab.b].flatMap((host) =>
      execFileSync('ip', ['netns', 'pids', host.namespace!], { encoding: 'utf8' }).split(/\s+/).filter(Boolean).map(Number),
    );
    return new Set(pids);
  }

  read(): Reading {
    const all = processes();
    const ours = this.hostPids();
    ours.add(process.pid);
    const isOurs = (pid: number): boolean => {
      for (let p: number | undefined = pid; p !== undefined && p > 1; p = all.get(p)?.ppid) if (ours.has(p)) return true;
      return false;
    };
    let otherS = 0;
    let oursS = 0;
    for (const [pid, p] of all) {
      if (p.kernel) continue;
      if (isOurs(pid)) oursS += p.cpuS;
      else otherS += p.cpuS;
    }
    return { otherS, oursS, stealS: steal() };
  }

  /** What the other processes used since `start`. */
  since(start: Reading): OtherLoad {
    const end = this.read();
    return { otherCpuS: Math.max(0, end.otherS - start.otherS), transferCpuS: end.oursS - start.oursS, stealS: end.stealS - start.stealS };
  }

  /** Waits until the other processes stay under QUIET_FRACTION of the cores for a short window, or `maxWaitMs` has passed. */
  async waitForQuiet(maxWaitMs: number): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const start = this.read();
      await sleep(QUIET_WINDOW_MS);
      if (this.since(start).otherCpuS <= QUIET_FRACTION * this.cores * (QUIET_WINDOW_MS / 1000)) return true;
      if (Date.now() >= deadline) return false;
    }
  }
}
