// Where each rsync version the tests run against lives on this machine.
import { accessSync, constants } from 'node:fs';
import { underCi } from './ci.js';

export type RsyncVersion = '3.5.0' | '3.2.7';

const installed: Record<RsyncVersion, { path: string; howToInstall: string }> = {
  '3.5.0': { path: '/usr/bin/rsync', howToInstall: 'apt-get install rsync (or run .ci/run)' },
  '3.2.7': {
    path: '/opt/rsync-3.2.7/usr/bin/rsync',
    howToInstall:
      'run .ci/run, or: apt-get download rsync=3.2.7-1+deb12u6 && dpkg -x rsync_3.2.7-1+deb12u6_*.deb /opt/rsync-3.2.7',
  },
};

function missingMessage(version: RsyncVersion): string | undefined {
  const { path, howToInstall } = installed[version];
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `rsync ${version} is not installed at ${path}; ${howToInstall}`;
  }
}

/** The path of an rsync version's binary; throws, saying how to install it, when it is missing. */
export function rsyncBinary(version: RsyncVersion): string {
  const missing = missingMessage(version);
  if (missing !== undefined) throw new Error(missing);
  return installed[version].path;
}

/**
 * For node:test's `skip` option: false when `version` is installed. When it is
 * missing, CI fails right here; elsewhere the test is skipped with a loud note,
 * so a developer machine without it still runs everything else.
 */
export function skipUnlessRsync(version: RsyncVersion): string | false {
  const missing = missingMessage(version);
  if (missing === undefined) return false;
  if (underCi()) throw new Error(`${missing} (required in CI)`);
  process.stderr.write(`\n*** SKIPPING TESTS THAT NEED rsync ${version}: ${missing} ***\n\n`);
  return missing;
}
