// The SSH setup every contender reads: a HOME of the bench's own whose
// ~/.ssh/config names host-a and host-b, pointing either at each host's sshd
// or, for the WAN suite, at the delaying relay in front of it. relaysync
// reads ~/.ssh/config itself; OpenSSH is given the same file with -F.
// host-a reaches host-b by a name of its own (the direct contender), which
// in the WAN suite goes through a delaying relay on host-a's side as well:
// host-a's leg delays that path as it delays every other one.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lab, LabHost } from '../test/lab/lab.js';

/** Where the delaying relay listens on each host, beside sshd on 22. */
export const RELAY_PORT = 2222;
/** Where host-a's relay toward host-b listens, on host-a's loopback. */
export const PEER_RELAY_PORT = 2223;

export class SshProfile {
  readonly config: string;
  readonly env: NodeJS.ProcessEnv;
  /** rsync's -e for OpenSSH with this profile. */
  readonly rsh: string;
  /** How host-a names host-b. */
  readonly peerOfA = 'host-b-from-host-a';

  constructor(
    private readonly lab: Lab,
    readonly home: string,
  ) {
    this.config = path.join(home, '.ssh', 'config');
    this.rsh = `ssh -F ${this.config}`;
    this.env = { ...lab.env, HOME: home };
  }

  /** Writes the plain config. */
  async create(): Promise<void> {
    await mkdir(path.dirname(this.config), { recursive: true, mode: 0o700 });
    await this.direct();
  }

  /** host-a and host-b are their sshd. */
  direct(): Promise<void> {
    return this.write(false);
  }

  /** host-a and host-b are the delaying relays in front of their sshd; host-a reaches host-b through its own relay too. */
  throughRelays(): Promise<void> {
    return this.write(true);
  }

  private async write(relays: boolean): Promise<void> {
    const { a, b } = this.lab;
    const block = (alias: string, host: LabHost, hostName: string, port: number): string =>
      [
        `Host ${alias}`,
        `  HostName ${hostName}`,
        `  Port ${port}`,
        // known_hosts names the host by its address, whichever relay is in the way.
        `  HostKeyAlias ${host.address}`,
        '  User root',
        `  IdentityFile ${path.join(this.lab.home, '.ssh', 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${path.join(this.lab.home, '.ssh', 'known_hosts')}`,
        '  StrictHostKeyChecking yes',
        '  BatchMode yes',
        '',
      ].join('\n');
    const own = (host: LabHost): string => block(host.alias, host, host.address, relays ? RELAY_PORT : host.port);
    const peer = relays ? block(this.peerOfA, b, '127.0.0.1', PEER_RELAY_PORT) : block(this.peerOfA, b, b.address, b.port);
    await writeFile(this.config, own(a) + own(b) + peer);
  }
}
