// Looking at and signalling processes through /proc, which works the same
// for processes of a namespace, of sshd sessions, or of a test's own runs.
import { readdirSync, readFileSync } from 'node:fs';

export function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

export function parsePids(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((word) => /^\d+$/.test(word))
    .map(Number);
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The pid a daemon wrote to `file`, if the file exists and holds one. */
export function pidFromFile(file: string): number | undefined {
  const pid = Number.parseInt(readTextFile(file) ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function readProcEntry(pid: number, entry: string): string | undefined {
  return readTextFile(`/proc/${pid}/${entry}`);
}

export function processComm(pid: number): string | undefined {
  return readProcEntry(pid, 'comm')?.trimEnd();
}

/** The fields of /proc/PID/stat after the command name, which may itself contain spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  const stat = readProcEntry(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function processParent(pid: number): number | undefined {
  const parent = statFields(pid)?.[1];
  return parent === undefined ? undefined : Number(parent);
}

/** A zombie counts as gone: it runs nothing, and only its parent can reap it. */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z';
}
