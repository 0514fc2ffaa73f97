// The command-line settings that decide how hosts are reached: rsync's
// -e/--rsh, -4/-6 and relaysync's --ssh-config. They are part of the relay settings
// the command line builds, but declared here, beside the transports that
// read them, and merged into RelaySettings by TypeScript's declaration
// merging, so that src/cli/relay-settings.ts stays with the option work.
import type { RelaySettings } from '../cli/relay-settings.js';
import type { TransportPoolOptions } from './pool.js';
import type { IpFamily } from './ssh/config-keywords.js';

declare module '../cli/relay-settings.js' {
  interface RelaySettings {
    /** -e/--rsh: the remote shell to run instead of relaysync's own SSH client (rsync's splitting rules). */
    rsh?: string;
    /** --ssh-config: an ssh_config file read instead of ~/.ssh/config and /etc/ssh/ssh_config, like ssh -F. */
    sshConfig?: string;
    /** -4/-6: reach hosts over IPv4 or IPv6 only. */
    addressFamily?: IpFamily;
  }
}

/** What the transport pool takes from the command line. */
export function reachOptions(settings: RelaySettings): Pick<TransportPoolOptions, 'rsh' | 'configFile' | 'addressFamily'> {
  return { rsh: settings.rsh, configFile: settings.sshConfig, addressFamily: settings.addressFamily };
}
