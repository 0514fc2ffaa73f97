// The programs the demo needs on this machine (sshd, ssh-keygen, rsync), and
// how to install each where it is missing, in the words of the common
// package managers.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The programs: sshd is run by its path, the others from the PATH (ssh-keygen here, rsync through the hosts' login shells). */
type Tool = 'sshd' | 'ssh-keygen' | 'rsync';

/** Where sshd lives when sbin is not on the PATH (a normal user's PATH often lacks it). */
const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/opt/homebrew/sbin'];

const INSTALL: Readonly<Record<Tool, { what: string; packages: string }>> = {
  sshd: {
    what: "sshd (OpenSSH's server)",
    packages:
      'apt-get install openssh-server (Debian, Ubuntu), dnf install openssh-server (Fedora, RHEL), zypper install openssh (openSUSE), ' +
      'apk add openssh-server (Alpine), pacman -S openssh (Arch); macOS has /usr/sbin/sshd, and brew install openssh brings a newer one',
  },
  'ssh-keygen': {
    what: "ssh-keygen (OpenSSH's client tools)",
    packages: 'apt-get install openssh-client, dnf install openssh-clients, zypper install openssh, apk add openssh-keygen, pacman -S openssh, brew install openssh',
  },
  rsync: {
    what: 'rsync',
    packages: 'apt-get install rsync, dnf install rsync, zypper install rsync, apk add rsync, pacman -S rsync, brew install rsync',
  },
};

export class MissingTools extends Error {
  override readonly name = 'MissingTools';
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function find(name: string, dirs: readonly string[]): string | undefined {
  return dirs.map((dir) => path.join(dir, name)).find(executable);
}

/** Checks that every program the demo runs is here and returns sshd's path; throws MissingTools saying how to install those that are not. */
export function findSshd(env: NodeJS.ProcessEnv = process.env): string {
  const pathDirs = (env['PATH'] ?? '').split(':').filter((dir) => dir !== '');
  const sshd = find('sshd', [...pathDirs, ...SBIN_DIRS]);
  const missing = (Object.keys(INSTALL) as Tool[])
    .filter((tool) => (tool === 'sshd' ? sshd : find(tool, pathDirs)) === undefined)
    .map((tool) => `${INSTALL[tool].what} is not installed here. Install it: ${INSTALL[tool].packages}.`);
  if (sshd === undefined || missing.length > 0) {
    throw new MissingTools(
      `${missing.join('\n')}\nThe demo starts its own sshd as you, on two loopback ports, and stops it when it ends; it needs no sshd service running.`,
    );
  }
  return sshd;
}
