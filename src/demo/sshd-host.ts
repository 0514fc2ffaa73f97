// A throwaway sshd host in a directory of its own: provisioned by
// provision/provision-host.sh (host keys, sshd_config, authorized_keys),
// then started by whoever needs it: `relaysync demo` as the current user on
// a loopback port, the test lab as root inside a network namespace. The
// docker lab provisions its hosts with the same script, so the three cannot
// drift apart.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);

// Shell scripts are not compiled: found from dist/src/demo/, three levels below the package root.
export const PROVISION_SCRIPT = fileURLToPath(new URL('../../../provision/provision-host.sh', import.meta.url));

export interface HostProvision {
  /** The host's directory: keys, sshd_config, authorized_keys, and sshd.pid once it runs. */
  readonly dir: string;
  readonly address: string;
  readonly port: number;
  /** Public key files of the users who may log in. */
  readonly authorizedKeys: readonly string[];
  /** sshd_config lines that win over the script's defaults. */
  readonly extraConfig?: string;
  /** The sshd program, when it is not /usr/sbin/sshd. */
  readonly sshd?: string;
}

/** Writes the host's files and has sshd check its configuration. */
export async function provisionHost(host: HostProvision): Promise<void> {
  await exec(PROVISION_SCRIPT, [host.dir, host.address, String(host.port), ...host.authorizedKeys], {
    env: { ...process.env, SSHD_EXTRA_CONFIG: host.extraConfig ?? '', ...(host.sshd === undefined ? {} : { SSHD: host.sshd }) },
  });
}

/** The arguments that start the host's sshd with its configuration, logging to `log`. */
export function sshdArguments(dir: string, log: string): string[] {
  return ['-f', path.join(dir, 'sshd_config'), '-E', log];
}

/** known_hosts lines for the host's keys, named as OpenSSH names the host: by address, with the port unless it is 22. */
export async function knownHostsLines(dir: string, address: string, port: number): Promise<string> {
  const pattern = port === 22 ? address : `[${address}]:${port}`;
  const publicKeys = (await readdir(dir)).filter((name) => /^ssh_host_.*_key\.pub$/.test(name)).sort();
  const lines = await Promise.all(
    publicKeys.map(async (name) => {
      const [type, blob] = (await readFile(path.join(dir, name), 'utf8')).split(' ');
      return `${pattern} ${type} ${blob}\n`;
    }),
  );
  return lines.join('');
}

/** A new ed25519 key pair without a passphrase: `file` and `file.pub`. */
export async function generateKey(file: string, comment: string): Promise<void> {
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}
