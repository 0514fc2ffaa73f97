// A throwaway sshd on a loopback port for transport tests, with its own host
// keys, an authorized client key and a temporary home holding .ssh/config
// and known_hosts. Small on purpose: the multi-host lab lives elsewhere.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PublicKey {
  /** `type base64`, as in a known_hosts or authorized_keys line. */
  readonly line: string;
  readonly pubFile: string;
}

export interface Sshd {
  readonly port: number;
  readonly dir: string;
  /** The client's home: .ssh/config, known_hosts and keys go here. */
  readonly home: string;
  readonly hostKeys: { readonly ed25519: PublicKey; readonly ecdsa: PublicKey };
  /** Makes a key pair in the fixture's directory; `authorize` adds it to authorized_keys. */
  makeKey(name: string, options?: { type?: string; passphrase?: string; authorize?: boolean }): string;
  /** How many logins sshd has accepted so far. */
  acceptedLogins(): number;
  /** What sshd has logged so far. */
  log(): string;
  stop(): Promise<void>;
}

function publicKey(privateFile: string): PublicKey {
  const pubFile = `${privateFile}.pub`;
  return { line: readFileSync(pubFile, 'utf8').trim().split(' ').slice(0, 2).join(' '), pubFile };
}

function keygen(file: string, type: string, passphrase = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'relaysync-test', '-f', file]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `extraConfig`: more sshd_config lines (e.g. `RekeyLimit 1M`). */
export async function startSshd(extraConfig: readonly string[] = []): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'relaysync-sshd-'));
  // sshd reads authorized_keys as the user logging in, who may not be root.
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  keygen(join(dir, 'host_ed25519'), 'ed25519');
  keygen(join(dir, 'host_ecdsa'), 'ecdsa');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, '', { mode: 0o644 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_ed25519`,
      `HostKey ${dir}/host_ecdsa`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PidFile none',
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'LogLevel VERBOSE',
      ...extraConfig,
      '',
    ].join('\n'),
  );

  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config, '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    sshd.stderr!.on('data', (data: Buffer) => {
      log += data.toString();
      if (log.includes('Server listening')) resolve();
    });
    sshd.once('exit', (code) => reject(new Error(`sshd exited with ${code}:\n${log}`)));
  });

  return {
    port,
    dir,
    home,
    hostKeys: { ed25519: publicKey(join(dir, 'host_ed25519')), ecdsa: publicKey(join(dir, 'host_ecdsa')) },
    makeKey(name, { type = 'ed25519', passphrase = '', authorize = false } = {}) {
      const file = join(dir, name);
      keygen(file, type, passphrase);
      if (authorize) writeFileSync(authorizedKeys, `${publicKey(file).line}\n`, { flag: 'a' });
      return file;
    },
    acceptedLogins: () => log.match(/Accepted publickey/g)?.length ?? 0,
    log: () => log,
    async stop() {
      const exited = new Promise((resolve) => sshd.once('exit', resolve));
      sshd.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
