// Runs plain rsync or relaysync the way a user would and records what they
// did. Tests compare outcomes, never durations: the timeout only stops a hung
// run from hanging the suite, so it is generous.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rsyncBinary } from '../lab/rsync-binaries.js';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Written to stdin, which is otherwise /dev/null, as in CI. */
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly command: string;
  readonly args: readonly string[];
  /** Null when the process died of a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const defaultTimeoutMs = 5 * 60_000;

// Compiled to dist/test/harness/, three levels below the package root.
export const relaysyncBin = fileURLToPath(new URL('../../../bin/relaysync', import.meta.url));

/**
 * Runs `command` in a process group of its own, so that on timeout it is
 * killed with everything it started (ssh, local rsync servers), and the
 * promise rejects saying what hung and what it had printed.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return start(command, args, options).result;
}

/** A run in progress: its pid, to signal it as a user would (Ctrl-C), and its result. */
export interface RunningProcess {
  /** 0 when the program could not be started (then `result` rejects saying why). */
  readonly pid: number;
  readonly result: Promise<RunResult>;
}

/** Like run(), but returns while the process runs. */
export function start(command: string, args: readonly string[], options: RunOptions = {}): RunningProcess {
  let pid = 0;
  const result = runWith(command, args, options, (started) => (pid = started));
  return { pid, result };
}

/** relaysync started as by a user's shell, returning while it runs. */
export function startRelaysync(args: readonly string[], options: RunOptions = {}): RunningProcess {
  return start(relaysyncBin, args, options);
}

function runWith(
  command: string,
  args: readonly string[],
  options: RunOptions,
  started: (pid: number) => void,
): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin?.end(options.input);
    if (child.pid !== undefined) started(child.pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${describe(command, args)}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        command,
        args,
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (timedOut) {
        reject(
          new Error(
            `${describe(command, args)} did not finish within ${timeoutMs / 1000} s and was killed.\n` +
              `stdout so far:\n${result.stdout}\nstderr so far:\n${result.stderr}`,
          ),
        );
      } else {
        resolve(result);
      }
    });
  });
}

/** Plain rsync, the oracle: Debian's current one unless `rsync` names another binary (see rsyncBinary). */
export function runRsync(args: readonly string[], options: RunOptions & { rsync?: string } = {}): Promise<RunResult> {
  return run(options.rsync ?? rsyncBinary('3.5.0'), args, options);
}

/** relaysync's executable, started as a user's shell would start it. */
export function runRelaysync(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(relaysyncBin, args, options);
}

function describe(command: string, args: readonly string[]): string {
  return [command, ...args].map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word))).join(' ');
}
