// relaysync's own settings: what rsync has no option for because rsync
// only ever starts one server.
import type { Side } from '../transport/server-process.js';

export interface RelaySettings {
  /** --rsync-path: the rsync program on both hosts, shell text as in rsync. */
  rsyncPath: string | undefined;
  /** --source-rsync-path: overrides --rsync-path on the source host. */
  sourceRsyncPath: string | undefined;
  /** --dest-rsync-path: overrides --rsync-path on the destination host. */
  destRsyncPath: string | undefined;
}

export function defaultRelaySettings(): RelaySettings {
  return { rsyncPath: undefined, sourceRsyncPath: undefined, destRsyncPath: undefined };
}

/** The program that runs the server for one side; the per-side option wins whatever the order. */
export function serverProgram(settings: RelaySettings, side: Side): string {
  const own = side === 'source' ? settings.sourceRsyncPath : settings.destRsyncPath;
  return own ?? settings.rsyncPath ?? 'rsync';
}
