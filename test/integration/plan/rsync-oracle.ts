// Asks the real rsync which server command line it would run: a fake remote
// shell records its arguments (and, when asked, what rsync writes to the
// server first: the secluded arguments of -s) and fails, so rsync never
// gets further.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RemoteCall {
  /** The words rsync hands the remote shell after the host name, already quoted for it. */
  readonly words: string[];
  /** What rsync wrote to the server before waiting for it, up to the first two NULs in a row. */
  readonly input: Buffer;
}

export interface RsyncOracle {
  /** The directory rsync runs in, for files its options read (--exclude-from, --files-from). */
  readonly dir: string;
  /** rsync's remote-shell words for these arguments; `env` adds RSYNC_* variables. */
  remoteCommand(args: readonly string[], env?: Readonly<Record<string, string>>): string[];
  /** The same, with the input rsync wrote first. */
  remoteCall(args: readonly string[], env?: Readonly<Record<string, string>>): RemoteCall;
  /** How rsync refuses these arguments before it starts a remote shell: its first line and exit code; undefined when it starts one. */
  refusal(args: readonly string[]): { readonly message: string; readonly code: number | null } | undefined;
  close(): void;
}

// Reads the server's input until the end of the secluded arguments (an empty
// one) or of the client's first int, whichever comes: both end in two NULs.
const READ_INPUT = `
let seen = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  seen = Buffer.concat([seen, chunk]);
  const end = seen.indexOf(Buffer.from([0, 0]));
  if (end >= 0) { require('fs').writeFileSync(process.argv[2], seen.subarray(0, end + 2)); process.exit(1); }
});
process.stdin.on('end', () => { require('fs').writeFileSync(process.argv[2], seen); process.exit(1); });
`;

export function openRsyncOracle(rsync = 'rsync'): RsyncOracle {
  const dir = mkdtempSync(join(tmpdir(), 'relaysync-oracle-'));
  const shell = join(dir, 'record-args');
  const record = join(dir, 'args');
  const input = join(dir, 'input');
  const reader = join(dir, 'read-input.cjs');
  writeFileSync(reader, READ_INPUT);
  writeFileSync(
    shell,
    `#!/bin/sh\nprintf '%s\\0' "$@" > '${record}'\n` +
      `if [ -n "$ORACLE_READ_INPUT" ]; then exec '${process.execPath}' '${reader}' '${input}'; fi\nexit 1\n`,
  );
  chmodSync(shell, 0o755);
  const start = (args: readonly string[], env: Readonly<Record<string, string>>, readInput: boolean) => {
    rmSync(record, { force: true });
    rmSync(input, { force: true });
    // No RSYNC_* variables but those given, and no ~/.popt: nothing else may shape the line.
    const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...(readInput ? { ORACLE_READ_INPUT: '1' } : {}) };
    const run = spawnSync(rsync, ['-e', shell, ...args], { env: { ...base, ...env }, cwd: dir, encoding: 'utf8' });
    return { run, started: existsSync(record) };
  };
  const call = (args: readonly string[], env: Readonly<Record<string, string>>, readInput: boolean): RemoteCall => {
    const { run, started } = start(args, env, readInput);
    if (!started) throw new Error(`rsync ran no remote shell for ${args.join(' ')}:\n${run.stderr}`);
    const words = readFileSync(record, 'utf8').split('\0').slice(0, -1);
    // The remote shell gets `[-l USER] HOST COMMAND...`; the tests use no user.
    return { words: words.slice(1), input: readInput ? readFileSync(input) : Buffer.alloc(0) };
  };
  return {
    dir,
    remoteCommand: (args, env = {}) => call(args, env, false).words,
    remoteCall: (args, env = {}) => call(args, env, true),
    refusal(args) {
      const { run, started } = start(args, {}, false);
      return started ? undefined : { message: run.stderr.split('\n')[0]!, code: run.status };
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
