// `relaysync demo` run for real, as a newcomer would: it relays a sample
// tree between two throwaway sshd hosts, relays again after a few changes to
// show the delta, and leaves nothing behind (no sshd, no temporary
// directory, nothing in ~/.ssh), also on Ctrl-C. Where sshd is missing it
// says how to install it. It needs no root: one run is as an ordinary user,
// made for the test in a mount namespace of its own (a passwd and group
// bind-mounted there, so the machine's accounts are never touched).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { transcript } from '../harness/oracle.js';
import { relaysyncBin, run, start, type RunResult } from '../harness/run.js';
import { compareSnapshots, snapshot, type Snapshot } from '../harness/snapshot.js';
import { allPids, readProcEntry } from '../lab/processes.js';

/** A directory of the test's own: each run's TMPDIR and HOME go under it. */
let work = '';

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'relaysync-demo-test-'));
  // An ordinary user needs to reach the directories it is given.
  await chmod(work, 0o755);
});

after(() => rm(work, { recursive: true, force: true }));

interface DemoRun {
  readonly tmpdir: string;
  readonly home: string;
}

/** A fresh TMPDIR, and a HOME whose ~/.ssh holds files the demo must leave alone (a config that, read, would make every login fail). */
async function demoRun(name: string, owner?: number): Promise<DemoRun> {
  const tmpdir = path.join(work, name, 'tmp');
  const home = path.join(work, name, 'home');
  await mkdir(tmpdir, { recursive: true });
  await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(home, '.ssh', 'config'), 'Host *\n  User someone-else\n', { mode: 0o600 });
  await writeFile(path.join(home, '.ssh', 'known_hosts'), '');
  if (owner !== undefined) execFileSync('chown', ['-R', `${owner}:${owner}`, path.join(work, name)]);
  return { tmpdir, home };
}

function demoEnv(r: DemoRun): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: r.tmpdir, HOME: r.home };
  delete env.SSH_AUTH_SOCK;
  return env;
}

/** The demo's own directory, as it says where it set up. */
function demoDir(out: string): string {
  const match = /^Set up in (\S+):$/m.exec(out);
  assert.ok(match, `the demo did not say where it set up:\n${out}`);
  return match[1]!;
}

/** Processes whose command line mentions `dir`: an sshd or session the demo left behind. */
function processesUsing(dir: string): string[] {
  return allPids()
    .map((pid) => readProcEntry(pid, 'cmdline')?.replaceAll('\0', ' ') ?? '')
    .filter((cmdline) => cmdline.includes(dir));
}

/** What a stats line of the second relay says, in bytes. */
function stat(section: string, name: string): number {
  const match = new RegExp(`^${name}: ([\\d,]+) bytes$`, 'm').exec(section);
  assert.ok(match, `no "${name}" in:\n${section}`);
  return Number(match[1]!.replaceAll(',', ''));
}

async function assertLeftNothing(result: RunResult, r: DemoRun, before: Snapshot): Promise<void> {
  const dir = demoDir(result.stdout);
  assert.ok(result.stdout.trimEnd().endsWith(`Cleaned up: both sshd stopped, ${dir} removed.`), transcript(result));
  assert.equal(existsSync(dir), false, `${dir} is still there`);
  assert.deepEqual(await readdir(r.tmpdir), [], 'the demo left files in TMPDIR');
  assert.deepEqual(processesUsing(dir), [], 'an sshd of the demo is still running');
  assert.deepEqual(compareSnapshots(before, await snapshot(path.join(r.home, '.ssh'))), [], '~/.ssh changed');
}

async function assertDemoWorked(result: RunResult, user: string): Promise<void> {
  assert.equal(result.code, 0, transcript(result));
  const out = result.stdout;
  assert.match(out, new RegExp(`^  relaysync logs in to both as ${user} with a key made for the demo; your ~/\\.ssh is not used\\.$`, 'm'));
  const [, first, second] = out.split(/^\d\. /m);
  assert.ok(first && second, `the demo did not show two relays:\n${out}`);
  const dir = demoDir(out);
  const command = `--ssh-config=${dir}/client/ssh_config demo-a:${dir}/demo-a/data/tree/ demo-b:${dir}/demo-b/data/tree/`;
  assert.ok(first.includes(`$ relaysync -av --stats ${command}\n`), first);
  for (const name of ['README.txt', 'notes.txt', 'old-draft.txt', 'photos/big.raw', 'src/util.c', 'empty-dir/']) {
    assert.match(first, new RegExp(`^${name.replaceAll('.', '\\.')}$`, 'm'), `the first relay did not list ${name}`);
  }
  assert.equal(stat(first, 'Matched data'), 0);
  assert.ok(second.includes(`$ relaysync -av --delete --stats ${command}\n`), second);
  for (const line of ['deleting old-draft.txt', 'new-file.txt', 'notes.txt', 'photos/big.raw']) assert.match(second, new RegExp(`^${line.replaceAll('.', '\\.')}$`, 'm'));
  assert.doesNotMatch(second, /^README\.txt$/m, 'an unchanged file was sent again');
  // Most of the large file was rebuilt from the copy demo-b already had.
  const matched = stat(second, 'Matched data');
  const literal = stat(second, 'Literal data');
  assert.ok(matched > 3 * literal, `matched ${matched} bytes, literal ${literal}:\n${second}`);
}

test('relaysync demo relays a tree between two throwaway hosts, shows the delta, and leaves nothing behind', async () => {
  const r = await demoRun('as-is');
  const before = await snapshot(path.join(r.home, '.ssh'));
  const result = await run(relaysyncBin, ['demo'], { env: demoEnv(r) });
  await assertDemoWorked(result, os.userInfo().username);
  assert.equal(result.stderr, '');
  await assertLeftNothing(result, r, before);
});

test('Ctrl-C: the demo stops with exit code 20 and still removes everything', async () => {
  const r = await demoRun('interrupted');
  const before = await snapshot(path.join(r.home, '.ssh'));
  const demo = start(relaysyncBin, ['demo'], { env: demoEnv(r) });
  // Once both hosts are up: the next thing the demo does is the first relay.
  const hostsUp = async (): Promise<boolean> => readdir(r.tmpdir).then(
    async ([dir]) => dir !== undefined && existsSync(path.join(r.tmpdir, dir, 'client', 'ssh_config')) && existsSync(path.join(r.tmpdir, dir, 'demo-a', 'data', 'tree', 'README.txt')),
  );
  while (!(await hostsUp())) await new Promise((resolve) => setTimeout(resolve, 20));
  process.kill(demo.pid, 'SIGINT');
  const result = await demo.result;
  assert.equal(result.code, 20, transcript(result));
  // Told by the relay (rsync's line for a signal) or by the demo, wherever Ctrl-C came.
  assert.match(result.stderr, /\(code 20\)\n|^relaysync demo: interrupted$/m, transcript(result));
  await assertLeftNothing(result, r, before);
});

test('without sshd, it says how to install it and starts nothing', async (t) => {
  if (!canUnshare(t)) return;
  const r = await demoRun('no-sshd');
  // sshd hidden in a mount namespace of the run's own.
  const hidden = ['sh', '-c', 'for f in /usr/sbin/sshd /usr/local/sbin/sshd; do [ -e "$f" ] && mount --bind /dev/null "$f"; done; exec "$@"', 'sh'];
  const result = await run('unshare', ['-m', ...hidden, relaysyncBin, 'demo'], { env: { ...demoEnv(r), PATH: '/usr/local/bin:/usr/bin:/bin' } });
  assert.equal(result.code, 4, transcript(result));
  assert.ok(
    result.stderr.startsWith(
      "relaysync demo: sshd (OpenSSH's server) is not installed here. Install it: apt-get install openssh-server (Debian, Ubuntu), dnf install openssh-server (Fedora, RHEL),",
    ),
    transcript(result),
  );
  assert.match(result.stderr, /it needs no sshd service running\.\n$/);
  assert.equal(result.stdout, '');
  assert.deepEqual(await readdir(r.tmpdir), []);
});

test('as an ordinary user: no root needed', async (t) => {
  if (!canUnshare(t)) return;
  const uid = 64124;
  const r = await demoRun('ordinary', uid);
  // The user exists only in this run's mount namespace, with bash as its shell and the run's HOME.
  const accounts = path.join(work, 'ordinary', 'accounts');
  await mkdir(accounts);
  await writeFile(path.join(accounts, 'passwd'), `${(await readFile('/etc/passwd', 'utf8')).trimEnd()}\nrsdemo:x:${uid}:${uid}::${r.home}:/bin/bash\n`);
  await writeFile(path.join(accounts, 'group'), `${(await readFile('/etc/group', 'utf8')).trimEnd()}\nrsdemo:x:${uid}:\n`);
  await chown(accounts, 0, 0);
  const before = await snapshot(path.join(r.home, '.ssh'));
  const as = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec runuser -u rsdemo -- "$@"';
  const result = await run('unshare', ['-m', 'sh', '-c', as, 'sh', path.join(accounts, 'passwd'), path.join(accounts, 'group'), 'env', `HOME=${r.home}`, `TMPDIR=${r.tmpdir}`, relaysyncBin, 'demo'], {
    env: demoEnv(r),
  });
  await assertDemoWorked(result, 'rsdemo');
  await assertLeftNothing(result, r, before);
});

/** Running the demo in a mount namespace needs root (as in CI); elsewhere those tests are skipped, saying so. */
function canUnshare(t: TestContext): boolean {
  if (process.getuid?.() === 0) return true;
  t.skip('needs root for a mount namespace of its own');
  return false;
}
