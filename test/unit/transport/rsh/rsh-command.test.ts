// The remote shell command line must be the one rsync builds: real rsync,
// given a remote shell that writes down its arguments, is the oracle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rshArgv, splitRshCommand } from '../../../../src/transport/rsh/rsh-command.js';
import { rsyncBinary } from '../../../lab/rsync-binaries.js';

const dir = mkdtempSync(join(tmpdir(), 'relaysync-rsh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What rsync passes to its remote shell, a program named `shell`, for `-e TEXT` and the source `[user@]host:/x`. */
function rsyncArguments(text: string, hostSpec: string, shell = 'record', rsyncOptions: string[] = []): string[] {
  const recorder = join(dir, shell);
  const log = join(dir, 'args');
  writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" >"${log}"\nexit 1\n`);
  chmodSync(recorder, 0o755);
  spawnSync(rsyncBinary('3.5.0'), [...rsyncOptions, '-e', `${recorder} ${text}`, `${hostSpec}:/x`, join(dir, 'dest')], { stdio: 'ignore' });
  return readFileSync(log, 'utf8').split('\n').slice(0, -1);
}

describe('remote shell command lines match what rsync runs', () => {
  // [-e text, host, the shell program's name, -4/-6]
  const cases: [string, string, string?, ('inet' | 'inet6')?][] = [
    ['-p 2222', 'web04'],
    [`-o "ProxyJump bastion" -i '/keys/my key'`, 'alice@web04'],
    [`-o 'Say "hi"' "it''s" 'don''t'`, 'web04'],
    [`"a""b" '' "" x'y z'w`, 'bob@[fe80::1]'],
    ['   spaced    out  ', 'web04'],
    ['-p 2222', 'alice@web04', 'ssh', 'inet'],
    ['', 'web04', 'ssh', 'inet6'],
    ['', 'web04', 'record', 'inet'],
  ];
  for (const [text, hostSpec, shell = 'record', family] of cases) {
    const flag = family === undefined ? [] : [family === 'inet' ? '-4' : '-6'];
    it(`${[...flag, '-e', `${shell} ${text}`].join(' ')} for ${hostSpec}`, () => {
      const expected = rsyncArguments(text, hostSpec, shell, flag);
      const at = hostSpec.lastIndexOf('@');
      const user = at < 0 ? undefined : hostSpec.slice(0, at);
      const host = hostSpec.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
      const command = { program: 'rsync', options: ['--server', '--sender'], paths: ['/x'], side: 'source', relativePaths: false } as const;
      const ours = rshArgv(splitRshCommand(`${join(dir, shell)} ${text}`), host, user, command, family);
      // rsync's own server options follow the program name; what comes before it must be the same.
      const upToProgram = (args: string[]) => args.slice(0, args.indexOf('rsync') + 1);
      assert.deepEqual(upToProgram(ours.slice(1)), upToProgram(expected));
    });
  }

  it('refuses a missing closing quote as rsync does', () => {
    assert.throws(() => splitRshCommand(`ssh -o "unclosed`), /Missing trailing-" in remote-shell command/);
    assert.throws(() => splitRshCommand('   '), /empty/);
  });
});
