// Loaded into relaysync's node process with --import when the bench runs it:
// at exit, writes the process's own CPU time, how long its main thread was
// ready to run but waited for a CPU (what other work on a shared machine
// costs it), its peak RSS, and the CPU time of the children it waited for
// (ssh with -e), to the file named by RELAYSYNC_BENCH_USAGE. Measured from inside, it is exact and includes the
// very end of the run, which polling /proc from outside could miss.
//
// The peak is VmHWM, the high-water mark of this program's own memory. Not
// getrusage's maxrss: Linux carries that over exec from the image the
// process replaced, a fork of the bench, so it reports the bench's size
// whenever the bench is the larger of the two.
import { readFileSync, writeFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ ticks, which is 100 on every architecture. */
const USER_HZ = 100;

export interface Usage {
  readonly cpuS: number;
  /** Seconds the main thread spent ready to run but waiting for a CPU (the second field of its schedstat). */
  readonly cpuWaitS: number;
  readonly childCpuS: number;
  /** MB of 10^6 bytes, the unit of the memory targets. */
  readonly peakRssMB: number;
}

const file = process.env.RELAYSYNC_BENCH_USAGE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const own = process.resourceUsage();
    // Fields after the command name; cutime and cstime are the 14th and 15th of them.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const hwmKiB = Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    // The main thread's: the relay runs there, so its waiting is the run's.
    const waitNs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]);
    const usage: Usage = {
      cpuS: (own.userCPUTime + own.systemCPUTime) / 1e6,
      cpuWaitS: waitNs / 1e9,
      childCpuS: (Number(fields[13]) + Number(fields[14])) / USER_HZ,
      peakRssMB: (hwmKiB * 1024) / 1e6,
    };
    writeFileSync(file, JSON.stringify(usage));
  });
}
