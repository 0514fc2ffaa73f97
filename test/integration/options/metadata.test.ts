// Metadata options against plain rsync: permissions, owners, times, ACLs,
// extended attributes, sparse files and devices.
import { execFile } from 'node:child_process';
import { appendFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { optionDifferential } from '../../harness/option-differential.js';
import { defaultMtime } from '../../harness/tree.js';

const exec = promisify(execFile);

/** ACLs and extended attributes on the source, and on the destination some the source no longer has. */
async function addAclsAndXattrs(work: string): Promise<void> {
  const at = (...names: string[]) => path.join(work, ...names);
  await exec('setfacl', ['-m', 'u:1234:rw,g:2345:r', at('src', 'plain.txt')]);
  await exec('setfacl', ['-m', 'u:1:rx', '-d', '-m', 'g:2345:rwx', at('src', 'a')]);
  await exec('setfattr', ['-n', 'user.colour', '-v', 'blue', at('src', 'empty')]);
  await exec('setfattr', ['-n', 'user.binary', '-v', '0x00ff10', at('src', 'a', 'b')]);
  await exec('setfattr', ['-n', 'user.long', '-v', 'x'.repeat(3000), at('src', 'exec.sh')]);
  await exec('setfattr', ['-n', 'user.stale', '-v', 'gone at the source', at('dest', 'empty')]);
  await exec('setfacl', ['-m', 'u:99:r', at('dest', 'exec.sh')]);
}

/** Access times on the source that no earlier read of the tree decided. */
async function fixAtimes(work: string): Promise<void> {
  await exec('find', [path.join(work, 'src'), '-exec', 'touch', '-h', '-a', '-d', '@1600000000', '{}', '+']);
}

/** A sparse file: 4 MiB of holes around a few bytes. */
async function addSparseFile(work: string): Promise<void> {
  const file = path.join(work, 'src', 'sparse.img');
  await writeFile(file, 'start');
  await exec('truncate', ['-s', '4M', file]);
  await appendFile(file, 'end');
  await utimes(file, defaultMtime, defaultMtime);
  // The source directory keeps its time, which the destination's copies.
  await utimes(path.join(work, 'src'), defaultMtime, defaultMtime);
}

optionDifferential('metadata', [
  { options: ['-av', '-A'], setup: addAclsAndXattrs, xattrs: true },
  { options: ['-av', '-X'], setup: addAclsAndXattrs, xattrs: true },
  { options: ['-avAX', '--fake-super'], setup: addAclsAndXattrs, xattrs: true, about: 'metadata kept in xattrs on the destination' },
  { options: ['-av', '--super'] },
  { options: ['-rltv', '-E'], about: 'only the executable bit follows the source' },
  { options: ['-av', '--chmod=D2770,Fu=rw,go-w,+X'] },
  { options: ['-av', '--chown=1234:2345'] },
  { options: ['-av', '--usermap=1234:4321,*:99', '--groupmap=2345:5432,daemon:7'] },
  { options: ['-av', '-O', '-J'] },
  { options: ['-av', '-U'], atimes: true, setup: fixAtimes, protocols: [28, 29, 30, 31, 32], about: 'at protocol 27 rsync cannot carry them (see the protocol-27 test)' },
  {
    options: ['-av', '-N'],
    stderrDiffers: {
      because: "rsync's client refuses -N for its own build; relaysync has none, and passes on the server's refusal",
      relaysyncSays: /The server does not support --crtimes \(-N\)/,
    },
  },
  { options: ['-av', '--no-perms', '--no-owner', '--no-group', '--no-times'] },
  { options: ['-av', '--no-D', '--devices'] },
  { options: ['-rv', '--specials'] },
  { options: ['-av', '--modify-window=2'] },
  { options: ['-av', '-@', '-1'] },
  { options: ['-av', '-S'], setup: addSparseFile },
  { options: ['-av', '--preallocate'], setup: addSparseFile },
  { options: ['-rv', '--copy-devices'], sources: ['src/specials/'], start: 'none' },
  { options: ['-av', '--write-devices'], start: 'none' },
]);
