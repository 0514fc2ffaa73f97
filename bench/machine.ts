// The machine the numbers were taken on, for RESULTS.md: the same bench
// on other hardware or other versions gives other numbers.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Machine } from './results.js';

const exec = promisify(execFile);

/** The line a program prints about its version (on stdout or stderr, as each does). */
async function versionLine(command: string, args: string[], pattern: RegExp): Promise<string> {
  let text: string;
  try {
    const { stdout, stderr } = await exec(command, args);
    text = stdout + stderr;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    text = (stdout ?? '') + (stderr ?? '');
  }
  return text.split('\n').find((line) => pattern.test(line))?.trim() ?? `${command}: not installed`;
}

export async function describeMachine(): Promise<Machine> {
  const ssh2 = JSON.parse(await readFile(new URL('../../node_modules/ssh2/package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    rsync: await versionLine('rsync', ['--version'], /version/),
    openssh: await versionLine('ssh', ['-V'], /OpenSSH/),
    socat: await versionLine('socat', ['-V'], /socat version/),
    ssh2: `ssh2 ${ssh2.version}`,
  };
}
