// Errors that explain themselves, each provoked for real against sshd and
// rsync in the lab: the message says what happened, on which host and side,
// and what to do; rsync's own words stay visible; doing what it says makes
// the relay work; and the destination is never left with a half-written
// file (rsync's temporary `.NAME.XXXXXX`) or a server still running.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { transcript } from '../harness/oracle.js';
import { run, runRsync, type RunResult } from '../harness/run.js';
import { assertSameTree } from '../harness/snapshot.js';
import { buildTree, dir, file } from '../harness/tree.js';
import { labSession } from './lab-session.js';

/** The tree the failing relays try to copy, on host-a. */
let tree = '';

const session = labSession(
  async ({ lab }) => {
    tree = path.join(lab.a.dataDir, 'tree');
    await buildTree(tree, [file('readme.txt', { content: 'relayed\n' }), file('sub/data.bin', { size: 200_000 }), dir('empty')]);
    // A copy in the home of host-a's ordinary user, who logs in with a bash that reads its ~/.bashrc.
    if (lab.passwordUser) {
      await buildTree(path.join(lab.passwordUser.home, 'tree'), [file('readme.txt', { content: 'from rstest\n' }), file('sub/data.bin', { size: 50_000 })]);
    }
  },
  { passwordUser: process.getuid?.() === 0 },
);

/** Tests that need host-a's ordinary user (root only: its accounts are bind-mounted for host-a's sshd). */
function ordinaryUser(t: TestContext): { name: string; home: string } | undefined {
  const user = session.lab.passwordUser;
  if (!user) t.skip('needs root: the ordinary user of host-a has accounts of its own, bind-mounted for its sshd');
  return user;
}

/** A destination directory on host-b for one test. */
function destination(name: string): string {
  return path.join(session.lab.b.dataDir, name);
}

/** rsync's temporary files (`.NAME.XXXXXX`) anywhere under `dir`. */
function temporaryFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found = execFileSync('find', [dir, '-name', '.*.??????'], { encoding: 'utf8' });
  return found.split('\n').filter((line) => line !== '');
}

/** What every failure must leave: no rsync running on either host, no temporary file under `dest`. */
async function assertCleanFailure(result: RunResult, code: number, dest: string): Promise<void> {
  const { lab } = session;
  assert.equal(result.code, code, transcript(result));
  assert.deepEqual(await lab.lingeringRsync(lab.a), [], 'rsync still runs on host-a');
  assert.deepEqual(await lab.lingeringRsync(lab.b), [], 'rsync still runs on host-b');
  assert.deepEqual(temporaryFiles(dest), [], 'a temporary file was left on the destination');
}

/** The last `count` lines relaysync printed on stderr. */
function lastLines(result: RunResult, count = 1): string {
  return result.stderr.trimEnd().split('\n').slice(-count).join('\n');
}

test('a login script that prints text: the host, its user, what it printed and the file to fix; fixed as told, the relay works', async (t) => {
  const user = ordinaryUser(t);
  if (!user) return;
  const { lab } = session;
  const bashrc = path.join(user.home, '.bashrc');
  await writeFile(bashrc, 'echo "Welcome to host-a, $USER!"\n');
  t.after(() => rm(bashrc, { force: true }));
  const source = `${user.name}@host-a:${path.join(user.home, 'tree')}/`;
  const dest = destination('after-login-script');

  // The oracles: OpenSSH shows the text, and plain rsync fails on it.
  const ssh = await run('ssh', [...lab.sshArgs, `${user.name}@host-a`, 'true'], { env: lab.env });
  assert.equal(ssh.stdout, 'Welcome to host-a, rstest!\n', transcript(ssh));
  const plain = await runRsync(['-a', '-e', lab.rsh, source, path.join(session.local, 'plain')], { env: lab.env });
  assert.match(plain.stderr, /protocol version mismatch -- is your shell clean\?/, transcript(plain));

  const result = await session.relaysync(['-a', source, `host-b:${dest}/`]);
  await assertCleanFailure(result, 2, dest);
  assert.ok(
    result.stderr.includes(
      'relaysync: host-a (source) printed text before rsync started, so rsync\'s protocol could not begin (rsync calls this "protocol version mismatch -- is your shell clean?"). ' +
        'It printed "Welcome to host-a, rstest!\\n". A login script of user rstest on host-a prints it for non-interactive shells: ~/.bashrc (bash reads it for commands run over SSH)',
    ),
    transcript(result),
  );
  assert.match(result.stderr, /\(start ~\/\.bashrc with: \[\[ \$- == \*i\* \]\] \|\| return\); "ssh rstest@host-a true" must print nothing\./, transcript(result));
  assert.equal(lastLines(result), 'relaysync error: protocol incompatibility (code 2)');
  assert.equal(existsSync(dest), false, 'the destination was created');

  await writeFile(bashrc, `[[ $- == *i* ]] || return\n${await readFile(bashrc, 'utf8')}`);
  const fixed = await session.relaysync(['-a', source, `host-b:${dest}/`]);
  assert.equal(fixed.code, 0, transcript(fixed));
  await assertSameTree(path.join(user.home, 'tree'), dest, { ignore: ['owner'] });
});

test("rsync missing from a host's PATH: named, with the option that fixes it, which then works", async (t) => {
  const user = ordinaryUser(t);
  if (!user) return;
  const bashrc = path.join(user.home, '.bashrc');
  // A login shell whose PATH has no rsync, as on a host where it is installed somewhere unusual.
  await writeFile(bashrc, 'PATH=/usr/local/nowhere\n');
  t.after(() => rm(bashrc, { force: true }));
  const source = `${user.name}@host-a:${path.join(user.home, 'tree')}/`;
  const dest = destination('after-missing-rsync');

  const result = await session.relaysync(['-a', source, `host-b:${dest}/`]);
  await assertCleanFailure(result, 127, dest);
  assert.ok(
    result.stderr.includes(
      "relaysync: rsync is not installed on host-a (source), or not on the PATH user rstest's non-interactive shell has there " +
        '(it said: "bash: line 1: rsync: command not found"): install rsync there (apt-get install rsync, dnf install rsync, ...), ' +
        'or give its full path with --source-rsync-path=PATH (--rsync-path=PATH sets it for both hosts)\n',
    ),
    transcript(result),
  );
  assert.equal(lastLines(result), 'relaysync error: remote command not found (code 127)');

  const fixed = await session.relaysync(['-a', '--source-rsync-path=/usr/bin/rsync', source, `host-b:${dest}/`]);
  assert.equal(fixed.code, 0, transcript(fixed));
  await assertSameTree(path.join(user.home, 'tree'), dest, { ignore: ['owner'] });
});

test('a source path that does not exist: rsync\'s line, and the path, host and side under the last; same exit code as rsync', async () => {
  const { lab } = session;
  const missing = path.join(lab.a.dataDir, 'no-such-dir');
  const dest = destination('from-missing');
  const result = await session.relaysync(['-a', `host-a:${missing}/`, `host-b:${dest}/`]);
  await assertCleanFailure(result, 23, dest);
  assert.ok(result.stderr.includes(`[host-a] rsync: [sender] change_dir "${missing}" failed: No such file or directory (2)\n`), transcript(result));
  assert.equal(
    lastLines(result, 2),
    `relaysync error: some files/attrs were not transferred (see previous errors) (code 23)\n  "${missing}" does not exist on host-a (source); check the path`,
  );
  const plain = await runRsync(['-a', '-e', lab.rsh, `host-a:${missing}/`, path.join(session.local, 'from-missing')], { env: lab.env });
  assert.equal(plain.code, result.code, transcript(plain));
});

test('a destination whose parent does not exist: the path, host and side, and --mkpath, which then works', async () => {
  const parent = destination('no-parent');
  const dest = path.join(parent, 'deeper', 'copy');
  const result = await session.relaysync(['-a', `host-a:${tree}/`, `host-b:${dest}/`]);
  await assertCleanFailure(result, 11, parent);
  assert.ok(result.stderr.includes(`[host-b] rsync: [Receiver] mkdir "${dest}" failed: No such file or directory (2)\n`), transcript(result));
  assert.equal(
    lastLines(result, 2),
    `relaysync error: error in file IO (code 11)\n  cannot create "${dest}" on host-b (destination): its parent directory does not exist; create it, or add --mkpath`,
  );
  const fixed = await session.relaysync(['-a', '--mkpath', `host-a:${tree}/`, `host-b:${dest}/`]);
  assert.equal(fixed.code, 0, transcript(fixed));
  await assertSameTree(tree, dest);
});

test('a file the login user may not read, and a directory it may not write to: which user, path, host and side', async (t) => {
  const user = ordinaryUser(t);
  if (!user) return;
  const { lab } = session;
  // Root's files in the user's home: one readable by all, one by root only.
  const source = path.join(user.home, 'guarded');
  await buildTree(source, [file('open.txt', { content: 'anyone\n' }), file('secret.txt', { content: 'root only\n', mode: 0o600 })]);
  const dest = destination('from-guarded');
  const unreadable = await session.relaysync(['-a', `${user.name}@host-a:${source}/`, `host-b:${dest}/`]);
  await assertCleanFailure(unreadable, 23, dest);
  assert.ok(unreadable.stderr.includes(`[host-a] rsync: [sender] send_files failed to open "${source}/secret.txt": Permission denied (13)\n`), transcript(unreadable));
  assert.equal(
    lastLines(unreadable, 2),
    'relaysync error: some files/attrs were not transferred (see previous errors) (code 23)\n  ' +
      `user rstest may not read "${source}/secret.txt" on host-a (source) (Permission denied); give that user access, or log in there as a user who has it`,
  );
  assert.equal(await readFile(path.join(dest, 'open.txt'), 'utf8'), 'anyone\n');
  assert.equal(existsSync(path.join(dest, 'secret.txt')), false);

  // host-a's data directory belongs to root: its ordinary user cannot write there.
  const closed = path.join(lab.a.dataDir, 'not-for-rstest');
  await mkdir(closed);
  const unwritable = await session.relaysync(['-a', `host-a:${tree}/`, `${user.name}@host-a:${closed}/`]);
  await assertCleanFailure(unwritable, 23, closed);
  assert.match(unwritable.stderr, /\[host-a \(destination\)\] rsync: \[(generator|receiver)\] .* failed: (Permission denied \(13\)|Operation not permitted \(1\))\n/, transcript(unwritable));
  assert.match(
    lastLines(unwritable, 2),
    new RegExp(`\\(code 23\\)\\n  user rstest may not (write to|create files in) "${closed}[^"]*" on host-a \\(destination\\) \\((Permission denied|Operation not permitted)\\); give that user access`),
  );
});

test('forced commands that refuse the command line: what was sent and what came back', async () => {
  const { lab } = session;
  const writable = destination('rrsync-wo');
  await mkdir(writable);
  await lab.addRestrictedAlias(lab.b, 'host-b-wo', `rrsync -wo ${writable}`);
  // The write-only key used as the source: rrsync answers on stderr.
  const dest = path.join(lab.a.dataDir, 'from-wo');
  const reversed = await session.relaysync(['-a', 'host-b-wo:/', `host-a:${dest}/`]);
  await assertCleanFailure(reversed, 1, dest);
  assert.match(
    reversed.stderr,
    /relaysync: host-b-wo \(source\) did not start rsync: it was sent the command\n {4}rsync --server --sender -logDtpre\.iLsfxCIvu --checksum-seed=\d+ \. \/\nand said "[^"]*rrsync error: reading from write-only server is not allowed", ending with exit code 1\. If a forced command guards the key relaysync logs in with \(command="\.\.\." in ~\/\.ssh\/authorized_keys on host-b-wo, such as rrsync\), it refused that command line: use a key whose forced command allows it to send files \(rrsync without -wo\)/,
    transcript(reversed),
  );

  // A forced command of the admin's own, answering on its output: the command line shown is the one it got.
  const seen = path.join(lab.b.dataDir, 'forced-command-saw');
  const script = path.join(lab.b.dataDir, 'backups-only.sh');
  await writeFile(script, `#!/bin/sh\nprintf '%s' "$SSH_ORIGINAL_COMMAND" > '${seen}'\necho "Sorry, this key only runs backups."\nexit 3\n`, { mode: 0o755 });
  await lab.addRestrictedAlias(lab.b, 'host-b-backups', script);
  const custom = await session.relaysync(['-a', `host-a:${tree}/`, `host-b-backups:${destination('never')}/`]);
  await assertCleanFailure(custom, 3, destination('never'));
  const sent = await readFile(seen, 'utf8');
  assert.ok(
    custom.stderr.includes(
      `relaysync: host-b-backups (destination) did not start rsync: it was sent the command\n    ${sent}\n` +
        'and printed "Sorry, this key only runs backups.\\n", ending with exit code 3.',
    ),
    transcript(custom),
  );
  assert.match(sent, /^rsync --server -logDtpre\.iLsfxCIvu --checksum-seed=\d+ \. /);
});

test('a host that refuses the connection, one that cannot be reached, and a login that fails: the host, its side, and what was tried', async (t) => {
  const { lab } = session;
  const stranger = path.join(lab.home, '.ssh', 'id_stranger');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stranger', '-f', stranger]);
  const known = path.join(lab.home, '.ssh', 'known_hosts');
  const alias = (name: string, address: string, port: number, key = path.join(lab.home, '.ssh', 'id_ed25519')) =>
    `Host ${name}\n  HostName ${address}\n  Port ${port}\n  User root\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${known}\n  BatchMode yes\n  ConnectTimeout 20\n`;
  // Nothing listens on port 2 of host-a's address.
  await appendFile(lab.sshConfig, alias('closed-port', lab.a.address, 2) + alias('stranger-b', lab.b.address, lab.b.port, stranger));

  const refused = await session.relaysync(['-a', `host-a:${tree}/`, 'closed-port:/x/']);
  assert.equal(refused.code, 10, transcript(refused));
  assert.match(refused.stderr, new RegExp(`^relaysync: closed-port \\(destination\\): ${lab.a.address.replaceAll('.', '\\.')} port 2: connection refused: nothing listens there \\(is sshd running, and is that the right port\\?\\)$`, 'm'));

  const login = await session.relaysync(['-a', 'stranger-b:/x/', `host-a:${path.join(lab.a.dataDir, 'never')}/`]);
  assert.equal(login.code, 5, transcript(login));
  assert.ok(
    login.stderr.includes(
      `relaysync: stranger-b (source): authentication failed for user root on ${lab.b.address} port ${lab.b.port}.\nTried: ${stranger}.\nThe server accepts: publickey.\n` +
        'Have root on that host accept one of these (ssh-copy-id), or name the key it accepts with IdentityFile, or the user with User, in ~/.ssh/config.\n',
    ),
    transcript(login),
  );
  // Nothing started on the host that was reached.
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);

  if (!lab.isolated) {
    t.diagnostic('loopback fallback: no address without a host to try unreachable on');
    return;
  }
  // An address on host-a's link that no host has: nothing answers the neighbour lookup.
  const nobody = lab.a.address.replace(/\.\d+$/, '.77');
  await appendFile(lab.sshConfig, alias('no-host', nobody, 22));
  const unreachable = await session.relaysync(['-a', 'no-host:/x/', `host-b:${destination('never')}/`]);
  assert.equal(unreachable.code, 10, transcript(unreachable));
  assert.match(
    unreachable.stderr,
    new RegExp(`^relaysync: no-host \\(source\\): ${nobody.replaceAll('.', '\\.')} port 22: the host is unreachable from here \\(EHOSTUNREACH\\); check HostName, and that this machine has a route to it`, 'm'),
  );
});

test('servers that cannot agree: the side that is the limit, and what to change', async () => {
  const dest = destination('never-agreed');
  const relay = (...args: string[]) => session.relaysync(['-r', ...args, `host-a:${tree}/`, `host-b:${dest}/`]);
  const refused = async (args: string[], code: number, message: string): Promise<void> => {
    const result = await relay(...args);
    await assertCleanFailure(result, code, dest);
    assert.ok(result.stderr.includes(`relaysync: ${message}\n`), transcript(result));
  };

  // An rsync that speaks protocol 29 at most (rsync 2.6.x), provoked with --protocol on its own command line.
  await refused(
    ['-A', '--dest-rsync-path=rsync --protocol=29'],
    2,
    '--acls requires protocol 30 or higher (negotiated 29).\n  host-b (destination) speaks protocol 29 at most (rsync 2.6.4 to 2.6.9): ' +
      'upgrade rsync there, or point --dest-rsync-path at a newer rsync on that host; or run without that option.',
  );
  await refused(['-A', '--protocol=29'], 2, '--acls requires protocol 30 or higher (negotiated 29).\n  --protocol=29 asks for protocol 29: raise it or leave it out; or run without that option.');
  await refused(
    ['--source-rsync-path=rsync --protocol=26'],
    2,
    'host-a (source) runs an rsync that speaks protocol 26 (rsync older than 2.6.0); relaysync needs protocol 27 or newer (rsync 2.6.0 or newer): ' +
      'upgrade rsync there, or point --source-rsync-path at a newer rsync on that host.',
  );

  // Each rsync offers only the names RSYNC_CHECKSUM_LIST / RSYNC_COMPRESS_LIST leave it.
  await refused(
    ['--source-rsync-path=RSYNC_CHECKSUM_LIST=md5 rsync', "--dest-rsync-path=RSYNC_CHECKSUM_LIST='sha1 xxh64' rsync"],
    4,
    'no checksum that relaysync can relay is offered by both servers: host-a (source) offers "md5", host-b (destination) offers "sha1 xxh64"; ' +
      'name one that both accept with --checksum-choice=NAME (md5 is known to every rsync since 3.0, unless RSYNC_CHECKSUM_LIST in the environment on a host leaves it out), ' +
      'or upgrade rsync on host-a (source)',
  );
  const narrowed = ['--source-rsync-path=RSYNC_COMPRESS_LIST=zstd rsync', '--dest-rsync-path=RSYNC_COMPRESS_LIST=lz4 rsync'];
  await refused(
    ['-z', ...narrowed],
    4,
    'no compression that relaysync can relay is offered by both servers: host-a (source) offers "zstd", host-b (destination) offers "lz4"; ' +
      'name one that both accept with --compress-choice=NAME (zlib is known to every rsync, unless RSYNC_COMPRESS_LIST in the environment on a host leaves it out), leave out -z, ' +
      'or upgrade rsync on the host that offers fewer',
  );
  // Doing one of the things it says: leaving out -z.
  const uncompressed = await relay(...narrowed);
  assert.equal(uncompressed.code, 0, transcript(uncompressed));
  assert.equal(await readFile(path.join(dest, 'readme.txt'), 'utf8'), 'relayed\n');
});
