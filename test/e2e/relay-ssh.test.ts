// relaysync over real SSH between the lab's two hosts, which cannot reach
// each other: what the tool is for, and the combinations a user meets
// (remote to local, local to remote, one host on both ends, several sources,
// awkward paths, another rsync on one host).
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runOracle, transcript } from '../harness/oracle.js';
import { buildStandardTree, scratchDir } from '../harness/relay-fixtures.js';
import { run, runRsync } from '../harness/run.js';
import { assertSameTree } from '../harness/snapshot.js';
import { buildTree, file, symlink, type TreeEntry } from '../harness/tree.js';
import {
  deterministicStats,
  incrementalHeader,
  parseOutput,
  statNumber,
  statsLines,
} from '../harness/transfer-output.js';
import { rsyncBinary, skipUnlessRsync } from '../lab/rsync-binaries.js';
import { labSession } from './lab-session.js';

/** The standard tree on host-a, and two small trees for several-source runs. */
let source = '';
let first = '';
let second = '';

const smallTree = (tag: string): TreeEntry[] => [
  file(`${tag}.txt`, { content: `${tag}\n` }),
  file(`sub/${tag} inner`, { size: 5000 }),
  symlink(`${tag}-link`, `${tag}.txt`),
];

const session = labSession(async ({ lab: { a } }) => {
  source = path.join(a.dataDir, 'src');
  await buildStandardTree(source);
  first = path.join(a.dataDir, 'first');
  second = path.join(a.dataDir, 'second');
  await buildTree(first, smallTree('first'));
  await buildTree(second, smallTree('second'));
});

test('host-a to host-b over SSH, though neither host can reach the other', async () => {
  const { lab } = session;
  const dest = path.join(lab.b.dataDir, 'copy');
  const result = await session.relaysync(['-avH', '--stats', `host-a:${source}/`, `host-b:${dest}/`]);
  assert.equal(result.code, 0, transcript(result));
  await assertSameTree(source, dest);
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
  assert.deepEqual(await lab.lingeringRsync(lab.b), []);

  // What the user reads: the file list as rsync prints it, the --stats block and the summary,
  // with the same numbers plain rsync reports for the same transfer.
  const out = parseOutput(result.stdout);
  assert.equal(out.header, incrementalHeader, result.stdout);
  for (const name of ['./', 'plain.txt', 'name with  spaces.txt', 'new\\#012line', 'caf\\#351.txt', 'links/dangling -> nowhere/at/all', 'a/b/c/d/deep.txt', 'empty-dir/']) {
    assert.ok(out.items.includes(name), `-v does not list ${JSON.stringify(name)}:\n${result.stdout}`);
  }
  for (const label of statsLines) assert.ok(out.stats.has(label), `no "${label}:" line:\n${result.stdout}`);
  const oracleDir = await scratchDir(undefined, 'e2e-oracle');
  try {
    const oracle = await runOracle({
      options: ['-avH', '--stats'],
      sources: [`${source}/`],
      dest: `${path.join(oracleDir, 'copy')}/`,
      sourceVersion: '3.5.0',
      destVersion: '3.5.0',
    });
    const expected = parseOutput(oracle.stdout);
    for (const label of deterministicStats) {
      assert.equal(out.stats.get(label), expected.stats.get(label), `"${label}" differs from plain rsync's:\n${result.stdout}\n${oracle.stdout}`);
    }
    assert.deepEqual([...out.items].sort(), [...expected.items].sort());
  } finally {
    await rm(oracleDir, { recursive: true, force: true });
  }
  assert.equal(out.totalSize, statNumber(out, 'Total file size'), result.stdout);
  assert.ok(out.sent !== undefined && out.sent > statNumber(out, 'Literal data'), `"sent N bytes" is missing or too small:\n${result.stdout}`);
  assert.ok(out.received !== undefined && out.received > 0, result.stdout);

  if (!lab.isolated) return; // Loopback fallback (never in CI): the hosts can reach each other there.
  // Each host reaches its own sshd, so a false below means no route, not a broken probe.
  assert.equal(await lab.canReach(lab.a, lab.a), true);
  assert.equal(await lab.canReach(lab.a, lab.b), false);
  assert.equal(await lab.canReach(lab.b, lab.a), false);
  // Plain rsync run on host-a cannot push the same tree to host-b: only the relay can.
  const direct = path.join(lab.b.dataDir, 'direct');
  const attempt = await run(
    'ip',
    ['netns', 'exec', lab.a.namespace!, rsyncBinary('3.5.0'), '-a', '-e', `${lab.rsh} -o ConnectTimeout=5`, `${source}/`, `host-b:${direct}/`],
    { env: lab.env },
  );
  assert.notEqual(attempt.code, 0, `rsync on host-a reached host-b:\n${transcript(attempt)}`);
  assert.match(attempt.stderr, /unreachable|timed out|No route/i, transcript(attempt));
  assert.equal(existsSync(direct), false);
});

test('remote to local, and local to remote', async () => {
  const { lab } = session;
  const pulled = path.join(session.local, 'pulled');
  const pull = await session.relaysync(['-aH', `host-a:${source}/`, `${pulled}/`]);
  assert.equal(pull.code, 0, transcript(pull));
  await assertSameTree(source, pulled);

  const pushed = path.join(lab.b.dataDir, 'pushed');
  const push = await session.relaysync(['-aH', `${pulled}/`, `host-b:${pushed}/`]);
  assert.equal(push.code, 0, transcript(push));
  await assertSameTree(source, pushed);
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
  assert.deepEqual(await lab.lingeringRsync(lab.b), []);
});

test('both ends on the same host', async () => {
  const { lab } = session;
  const dest = path.join(lab.a.dataDir, 'same-host-copy');
  const result = await session.relaysync(['-aH', `host-a:${source}/`, `host-a:${dest}/`]);
  assert.equal(result.code, 0, transcript(result));
  await assertSameTree(source, dest);
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
});

test('several sources from one host: host:a :b and host:a host:b', async () => {
  const { lab } = session;
  // What plain rsync makes of the same two sources (no trailing slash: each arrives as a directory).
  const expected = path.join(session.local, 'several-expected');
  const oracle = await runRsync(['-a', first, second, `${expected}/`]);
  assert.equal(oracle.code, 0, oracle.stderr);
  assert.deepEqual((await readdir(expected)).sort(), ['first', 'second']);

  for (const [name, sources] of [
    ['short form', [`host-a:${first}`, `:${second}`]],
    ['host named twice', [`host-a:${first}`, `host-a:${second}`]],
  ] as const) {
    const dest = path.join(lab.b.dataDir, `several-${name.replaceAll(' ', '-')}`);
    const result = await session.relaysync(['-av', ...sources, `host-b:${dest}/`]);
    assert.equal(result.code, 0, `${name}:\n${transcript(result)}`);
    // The directory both land in is not part of the transfer: its own mtime is when it was made.
    assert.deepEqual((await readdir(dest)).sort(), ['first', 'second'], `${name}: wrong entries in ${dest}`);
    for (const tree of ['first', 'second']) await assertSameTree(path.join(expected, tree), path.join(dest, tree));
    const out = parseOutput(result.stdout);
    for (const item of ['first/first.txt', 'second/sub/second inner']) {
      assert.ok(out.items.includes(item), `${name}: -v does not list ${item}:\n${result.stdout}`);
    }
  }
});

test('a destination path with spaces, quotes, $(...), backticks and a leading dash arrives literally, running nothing', async () => {
  const { lab } = session;
  const parent = path.join(lab.b.dataDir, 'odd-parent');
  await mkdir(parent);
  const odd = `-dash it's "double" $(touch pwned-1) \`touch pwned-2\`; touch pwned-3 & x|y {a,b} ~ \\back`;
  const home = os.userInfo().homedir;
  const markers = () =>
    [parent, home, lab.b.dataDir].flatMap((where) =>
      ['pwned-1', 'pwned-2', 'pwned-3'].map((m) => path.join(where, m)).filter((m) => existsSync(m)),
    );

  // An absolute path whose last name starts with a dash.
  const absolute = await session.relaysync(['-a', `host-a:${first}/`, `host-b:${parent}/${odd}/`]);
  assert.equal(absolute.code, 0, transcript(absolute));
  assert.deepEqual(await readdir(parent), [odd]);
  await assertSameTree(first, path.join(parent, odd));
  assert.deepEqual(markers(), [], 'a command in the path ran on host-b');

  // A relative path that starts with a dash, from a working directory the rsync path sets.
  await rm(path.join(parent, odd), { recursive: true });
  const relative = await session.relaysync(['-a', `--dest-rsync-path=cd '${parent}' && rsync`, `host-a:${first}/`, `host-b:${odd}/`]);
  assert.equal(relative.code, 0, transcript(relative));
  assert.deepEqual(await readdir(parent), [odd]);
  await assertSameTree(first, path.join(parent, odd));
  assert.deepEqual(markers(), [], 'a command in the path ran on host-b');
});

test('--rsync-path and the per-side overrides choose the rsync each host runs', { skip: skipUnlessRsync('3.2.7') }, async (t) => {
  const { lab } = session;
  // rsync 3.2.7 behind a wrapper that records which host ran it (sshd's SSH_CONNECTION names the host's address and port).
  const tools = await scratchDir(t, 'e2e-tools');
  const log = path.join(tools, 'ran-3.2.7.log');
  const wrapper = path.join(tools, 'rsync-3.2.7');
  await writeFile(wrapper, `#!/bin/sh\necho "$SSH_CONNECTION" >> '${log}'\nexec '${rsyncBinary('3.2.7')}' "$@"\n`);
  await chmod(wrapper, 0o755);
  const hostsThatRan = async (): Promise<string[]> => {
    const lines = existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : [];
    await rm(log, { force: true });
    return lines
      .map((line) => [lab.a, lab.b].find((host) => line.endsWith(` ${host.address} ${host.port}`))?.alias ?? `unknown: ${line}`)
      .sort();
  };

  const cases: { options: string[]; expected: string[] }[] = [
    { options: [`--dest-rsync-path=${wrapper}`], expected: ['host-b'] },
    { options: [`--source-rsync-path=${wrapper}`], expected: ['host-a'] },
    { options: [`--rsync-path=${wrapper}`], expected: ['host-a', 'host-b'] },
    // The per-side option wins over --rsync-path, whatever the order.
    { options: [`--source-rsync-path=rsync`, `--rsync-path=${wrapper}`], expected: ['host-b'] },
  ];
  for (const [i, { options, expected }] of cases.entries()) {
    const dest = path.join(lab.b.dataDir, `rsync-path-${i}`);
    const result = await session.relaysync(['-a', ...options, `host-a:${source}/`, `host-b:${dest}/`]);
    assert.equal(result.code, 0, transcript(result));
    await assertSameTree(source, dest, { ignore: ['hardLinks'] });
    assert.deepEqual(await hostsThatRan(), expected, `rsync 3.2.7 ran on the wrong host(s) with ${options.join(' ')}`);
  }

  // A missing rsync on one host is named, with the option that fixes it.
  const missing = await session.relaysync(['-a', '--dest-rsync-path=/nonexistent/rsync', `host-a:${first}/`, `host-b:${path.join(lab.b.dataDir, 'never')}/`]);
  assert.equal(missing.code, 127, transcript(missing));
  assert.match(missing.stderr, /rsync was not found on host-b.*--dest-rsync-path/, transcript(missing));
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
});
