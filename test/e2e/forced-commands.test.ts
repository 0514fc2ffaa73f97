// Keys confined by forced commands, as careful admins set them up: the
// source host lets relaysync's key only read one directory (rrsync -ro), the
// destination only write one (rrsync -wo). rrsync re-checks the server
// command line relaysync sends, so the relay must stay within what it allows.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import * as mutate from '../harness/mutate.js';
import { transcript } from '../harness/oracle.js';
import { buildStandardTree, mediumFile } from '../harness/relay-fixtures.js';
import { assertSameTree, compareSnapshots, snapshot } from '../harness/snapshot.js';
import { runRsync } from '../harness/run.js';
import { parseOutput, statNumber } from '../harness/transfer-output.js';
import { MiB } from '../harness/tree.js';
import { rrsync } from '../lab/lab.js';
import { labSession } from './lab-session.js';

let readable = '';
let writable = '';
/** Where plain rsync writes through a forced command of its own, for comparison. */
let oracle = '';

const session = labSession(async ({ lab }) => {
  readable = path.join(lab.a.dataDir, 'readable');
  writable = path.join(lab.b.dataDir, 'writable');
  await buildStandardTree(readable);
  oracle = path.join(lab.b.dataDir, 'oracle');
  await mkdir(writable);
  await mkdir(oracle);
  await lab.addRestrictedAlias(lab.a, 'host-a-ro', rrsync('ro', readable));
  await lab.addRestrictedAlias(lab.b, 'host-b-wo', rrsync('wo', writable));
  await lab.addRestrictedAlias(lab.b, 'host-b-wo-oracle', rrsync('wo', oracle));
});

/**
 * What plain rsync leaves behind when it pushes the source through the same
 * kind of forced command. (rrsync adds --drop-D for a receiver in a
 * restricted directory: devices and specials are not created.)
 */
async function assertLikePlainRsync(args: readonly string[]): Promise<void> {
  const plain = await runRsync([...args, '-e', session.lab.rsh, `${readable}/`, 'host-b-wo-oracle:/'], { env: session.lab.env });
  assert.equal(plain.code, 0, transcript(plain));
  await assertSameTree(oracle, writable);
  assert.equal(existsSync(path.join(writable, 'plain.txt')), true);
}

test('a relay between a read-only rrsync key and a write-only rrsync key', async () => {
  const { lab } = session;
  const copy = await session.relaysync(['-aHv', 'host-a-ro:/', 'host-b-wo:/']);
  assert.equal(copy.code, 0, transcript(copy));
  await assertLikePlainRsync(['-aH']);
  assert.ok(parseOutput(copy.stdout).items.includes('plain.txt'), copy.stdout);

  // A change goes by delta through both forced commands: rrsync passes the checksum seed on.
  await mutate.overwrite(readable, mediumFile, MiB, 'changed through rrsync');
  await mutate.remove(readable, 'gone-file.txt');
  const update = await session.relaysync(['-aHv', '--delete', '--stats', 'host-a-ro:/', 'host-b-wo:/']);
  assert.equal(update.code, 0, transcript(update));
  await assertLikePlainRsync(['-aH', '--delete']);
  const out = parseOutput(update.stdout);
  assert.ok(out.items.includes('deleting gone-file.txt'), update.stdout);
  assert.ok(statNumber(out, 'Matched data') > 0, `no block matched through the forced commands:\n${update.stdout}`);
  assert.doesNotMatch(update.stderr, /different checksum seeds/, transcript(update));
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
  assert.deepEqual(await lab.lingeringRsync(lab.b), []);
});

test('the forced commands still refuse the other direction', async () => {
  const { lab } = session;
  const before = await snapshot(readable);
  const reversed = await session.relaysync(['-a', 'host-b-wo:/', 'host-a-ro:/']);
  assert.notEqual(reversed.code, 0, `the write-only key was read, or the read-only key written:\n${transcript(reversed)}`);
  assert.deepEqual(compareSnapshots(before, await snapshot(readable)), [], 'the read-only directory changed');
  assert.equal(existsSync(path.join(readable, 'writable')), false);
  assert.deepEqual(await lab.lingeringRsync(lab.a), []);
  assert.deepEqual(await lab.lingeringRsync(lab.b), []);
});
