// `relaysync demo`: relaysync at work for someone with no servers of their
// own. Two throwaway sshd hosts start on loopback ports as the current user
// (no root needed where sshd allows it), a sample tree goes from one to the
// other through relaysync, a few files change and a second relay shows the
// delta, and everything the demo started (sshd, its sessions, the temporary
// directory) goes away at the end, on failure, and on Ctrl-C. The user's
// ~/.ssh is neither read nor written: the demo has its own key, known_hosts
// and ssh_config.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Console } from '../main.js';
import { RERR } from '../protocol/constants.js';
import { DemoHosts } from './demo-hosts.js';
import { findSshd, MissingTools } from './demo-tools.js';
import { CHANGES, changeSampleTree, writeSampleTree } from './sample-tree.js';

/** Runs relaysync with these arguments, as from the command line; resolves with its exit code. */
export type RelayCommand = (args: readonly string[]) => Promise<number>;

class Interrupted extends Error {}

/** Shells that refuse every command: sshd runs the demo's rsync through the login shell. */
const NO_LOGIN = /\/(nologin|false)$/;

export async function runDemo(io: Console, interrupted: AbortSignal, relay: RelayCommand): Promise<number> {
  const say = (text = ''): void => void io.stdout.write(`${text}\n`);
  const fail = (text: string): void => void io.stderr.write(`relaysync demo: ${text}\n`);
  let sshd: string;
  try {
    sshd = findSshd();
  } catch (err) {
    if (!(err instanceof MissingTools)) throw err;
    fail(err.message);
    return RERR.UNSUPPORTED;
  }
  const user = os.userInfo();
  if (user.shell && NO_LOGIN.test(user.shell)) {
    fail(`your login shell is ${user.shell}, which runs no command, and sshd runs every command through it: run the demo as a user with a shell`);
    return RERR.UNSUPPORTED;
  }

  const root = await mkdtemp(path.join(os.tmpdir(), 'relaysync-demo-'));
  const hosts = new DemoHosts({ root, sshd, user: user.username });
  // If relaysync ends some other way, the hosts still go.
  const removeNow = (): void => {
    hosts.stopNow();
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', removeNow);
  const checkpoint = (): void => {
    if (interrupted.aborted) throw new Interrupted();
  };
  try {
    say('relaysync demo: two throwaway SSH hosts on this machine stand in for two servers;');
    say('relaysync copies a tree from one to the other through itself.');
    say();
    const [a, b] = await hosts.start('demo-a', 'demo-b');
    checkpoint();
    const source = path.join(a.data, 'tree');
    const dest = path.join(b.data, 'tree');
    const sample = await writeSampleTree(source);
    say(`Set up in ${root}:`);
    say(`  demo-a  sshd on 127.0.0.1 port ${a.port}, the source: ${sample.files} files, ${sample.bytes} bytes in ${source}`);
    say(`  demo-b  sshd on 127.0.0.1 port ${b.port}, the destination: ${dest} (not there yet)`);
    say(`  relaysync logs in to both as ${user.username} with a key made for the demo; your ~/.ssh is not used.`);
    say();

    /** The one place the demo runs relaysync: shows the command, then its output (the live view on a terminal). */
    const show = async (options: readonly string[]): Promise<number> => {
      const args = [...options, `--ssh-config=${hosts.sshConfig}`, `demo-a:${source}/`, `demo-b:${dest}/`];
      checkpoint();
      say(`$ relaysync ${args.join(' ')}`);
      const code = await relay(args);
      say();
      return code;
    };

    say('1. The first relay copies everything:');
    say();
    let code = await show(['-av', '--stats']);
    if (code !== RERR.OK) return code;
    checkpoint();

    await changeSampleTree(source);
    say('2. A few files change on demo-a:');
    for (const change of CHANGES) say(`     ${change}`);
    say('   The second relay sends only what changed, and --delete removes what is gone:');
    say();
    code = await show(['-av', '--delete', '--stats']);
    if (code !== RERR.OK) return code;
    say('In the second statistics, "Matched data" is what demo-b rebuilt from its own copy of the');
    say('large file, and "Literal data" is all that crossed: the changed part, and the small files.');
    return RERR.OK;
  } catch (err) {
    if (err instanceof Interrupted) {
      fail('interrupted');
      return RERR.SIGNAL;
    }
    fail((err as Error).message);
    return RERR.STARTCLIENT;
  } finally {
    await hosts.stop();
    await rm(root, { recursive: true, force: true });
    process.off('exit', removeNow);
    say(`Cleaned up: both sshd stopped, ${root} removed.`);
  }
}
