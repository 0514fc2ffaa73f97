// What relaysync's SSH client offers: OpenSSH's lists less what ssh2 lacks,
// in the configured order, except that with no Ciphers configured the
// ciphers come in ssh2's order for this CPU.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openSshAlgorithms } from '../../../../src/transport/ssh/algorithms.js';
import { SshConfig } from '../../../../src/transport/ssh/ssh-config.js';
import { offeredAlgorithms } from '../../../../src/transport/ssh/ssh2-algorithms.js';

const require = createRequire(import.meta.url);
const ssh2 = require('ssh2/lib/protocol/constants.js') as { DEFAULT_CIPHER: string[]; SUPPORTED_CIPHER: string[] };
/** ssh2 reads the CPU's features with this optional package; without it ssh2 keeps its own order. */
const cpu = ((): { flags?: { aes?: boolean } } => {
  try {
    return require('cpu-features')();
  } catch {
    return {};
  }
})();

const root = mkdtempSync(join(tmpdir(), 'relaysync-algorithms-'));
after(() => rmSync(root, { recursive: true, force: true }));

function ciphersFor(config: string): string[] {
  const file = join(root, 'config');
  writeFileSync(file, config, { mode: 0o644 });
  const ssh = SshConfig.load({ home: root, localUser: 'nobody', env: {}, configFile: file, systemConfig: null });
  return offeredAlgorithms(ssh.resolveHost('h', {})).algorithms.cipher as string[];
}

it("with no Ciphers configured: OpenSSH's default ciphers that ssh2 has, cheapest first for this CPU", () => {
  const offered = ciphersFor('Host h\n  Port 22\n');
  const usable = openSshAlgorithms('ciphers').defaults.filter((name) => ssh2.SUPPORTED_CIPHER.includes(name));
  assert.deepEqual([...offered].sort(), [...usable].sort());
  assert.deepEqual(offered, ssh2.DEFAULT_CIPHER.filter((name) => offered.includes(name)));
  if (cpu.flags?.aes) assert.equal(offered[0], 'aes128-gcm@openssh.com', 'a CPU with AES instructions');
});

it('a configured Ciphers list keeps its order', () => {
  assert.deepEqual(ciphersFor('Host h\n  Ciphers chacha20-poly1305@openssh.com,aes256-ctr,aes128-gcm@openssh.com\n'), [
    'chacha20-poly1305@openssh.com',
    'aes256-ctr',
    'aes128-gcm@openssh.com',
  ]);
});
