// The SSH setup every contender reads: a HOME of the bench's own whose
// ~/.ssh/config names host-a and host-b, pointing either at each host's sshd
// or, for the WAN suite, at the delaying relay in front of it. relaysync
// reads ~/.ssh/config itself; OpenSSH is given the same file with -F.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lab, LabHost } from '../test/lab/lab.js';

/** Where the delaying relay listens on each host, beside sshd on 22. */
export const RELAY_PORT = 2222;

export class SshProfile {
  readonly config: string;
  readonly env: NodeJS.ProcessEnv;
  /** rsync's -e for OpenSSH with this profile. */
  readonly rsh: string;
  private readonly knownHosts: string;

  constructor(
    private readonly lab: Lab,
    readonly home: string,
  ) {
    this.config = path.join(home, '.ssh', 'config');
    this.knownHosts = path.join(home, '.ssh', 'known_hosts');
    this.rsh = `ssh -F ${this.config}`;
    this.env = { ...lab.env, HOME: home };
  }

  /** Writes known_hosts (each host key valid on sshd's port and the relay's) and the plain config. */
  async create(): Promise<void> {
    await mkdir(path.dirname(this.config), { recursive: true, mode: 0o700 });
    const labKnownHosts = await readFile(path.join(this.lab.home, '.ssh', 'known_hosts'), 'utf8');
    const lines = labKnownHosts
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [pattern, ...key] = line.split(' ');
        return [`${pattern},[${pattern}]:${RELAY_PORT}`, ...key].join(' ');
      });
    await writeFile(this.knownHosts, lines.join('\n') + '\n');
    await this.direct();
  }

  /** host-a and host-b are their sshd. */
  direct(): Promise<void> {
    return this.write(22);
  }

  /** host-a and host-b are the delaying relays in front of their sshd. */
  throughRelays(): Promise<void> {
    return this.write(RELAY_PORT);
  }

  private async write(port: number): Promise<void> {
    const block = (host: LabHost): string =>
      [
        `Host ${host.alias}`,
        `  HostName ${host.address}`,
        `  Port ${port}`,
        '  User root',
        `  IdentityFile ${path.join(this.lab.home, '.ssh', 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${this.knownHosts}`,
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        '',
      ].join('\n');
    await writeFile(this.config, block(this.lab.a) + block(this.lab.b));
  }
}
