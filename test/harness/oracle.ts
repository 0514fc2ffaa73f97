// Plain rsync as the oracle of the differential tests: the same transfer
// relaysync makes, done by rsync itself between the same two versions.
import { fileURLToPath } from 'node:url';
import { runRelaysync, runRsync, type RunOptions, type RunResult } from './run.js';
import { rsyncBinary, type RsyncVersion } from '../lab/rsync-binaries.js';

// Shell scripts are not compiled: found in the source tree, three levels above dist/test/harness/.
export const localRsh = fileURLToPath(new URL('../../../test/harness/local-rsh.sh', import.meta.url));

export interface TransferRequest {
  /** rsync options, e.g. ['-aHv', '--stats', '--protocol=30']. */
  readonly options: readonly string[];
  readonly sources: readonly string[];
  readonly dest: string;
  readonly sourceVersion: RsyncVersion;
  readonly destVersion: RsyncVersion;
}

/**
 * Plain rsync of `sourceVersion` pushing to a server of `destVersion` through
 * a remote shell that runs it on this machine: the transfer relaysync relays,
 * with the same versions at each end and the delta algorithm on.
 */
export function runOracle(request: TransferRequest, options: RunOptions = {}): Promise<RunResult> {
  return runRsync(
    [
      ...request.options,
      '-e',
      localRsh,
      `--rsync-path=${rsyncBinary(request.destVersion)}`,
      ...request.sources,
      `oracle-host:${request.dest}`,
    ],
    { ...options, rsync: rsyncBinary(request.sourceVersion) },
  );
}

/** relaysync between two local servers of the given versions: the whole broker, without SSH. */
export function runLocalRelay(request: TransferRequest, options: RunOptions = {}): Promise<RunResult> {
  return runRelaysync(
    [
      ...request.options,
      `--source-rsync-path=${rsyncBinary(request.sourceVersion)}`,
      `--dest-rsync-path=${rsyncBinary(request.destVersion)}`,
      ...request.sources,
      request.dest,
    ],
    options,
  );
}

/** A run's command line and what it printed, for assertion messages. */
export function transcript(result: RunResult): string {
  return (
    `$ ${[result.command, ...result.args].join(' ')}\n` +
    `exit ${result.code ?? result.signal}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`
  );
}
