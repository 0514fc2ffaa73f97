// Asks the real rsync which server command line it would run: a fake remote
// shell records its arguments and fails, so rsync never gets further.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RsyncOracle {
  /** The words rsync hands the remote shell after the host name, already quoted for it. */
  remoteCommand(args: readonly string[]): string[];
  close(): void;
}

export function openRsyncOracle(rsync = 'rsync'): RsyncOracle {
  const dir = mkdtempSync(join(tmpdir(), 'relaysync-oracle-'));
  const shell = join(dir, 'record-args');
  const record = join(dir, 'args');
  writeFileSync(shell, `#!/bin/sh\nprintf '%s\\0' "$@" > '${record}'\nexit 1\n`);
  chmodSync(shell, 0o755);
  return {
    remoteCommand(args) {
      rmSync(record, { force: true });
      // No RSYNC_* variables and no ~/.popt: nothing but the arguments may shape the line.
      spawnSync(rsync, ['-e', shell, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, cwd: dir });
      const words = readFileSync(record, 'utf8').split('\0').slice(0, -1);
      // The remote shell gets `[-l USER] HOST COMMAND...`; the tests use no user.
      return words.slice(1);
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
