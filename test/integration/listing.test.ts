// Listings against plain rsync: relaysync with --list-only, or with a source
// and no destination, prints what rsync prints when it lists a remote
// source (the client receiver's list_file_entry lines), on every protocol.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localRsh, transcript } from '../harness/oracle.js';
import { buildStandardTree, scratchDir } from '../harness/relay-fixtures.js';
import { runRelaysync, runRsync } from '../harness/run.js';
import { rsyncBinary, skipUnlessRsync, type RsyncVersion } from '../lab/rsync-binaries.js';

/** One time zone for both: the listing shows modification times in local time. */
const env = { ...process.env, TZ: 'UTC' };

let scratch = '';
let src = '';

before(async () => {
  scratch = await scratchDir(undefined, 'listing');
  src = path.join(scratch, 'src');
  await buildStandardTree(src);
});

after(() => rm(scratch, { recursive: true, force: true }));

interface Case {
  /** Options before the operands; relaysync gets the same. */
  readonly options: readonly string[];
  /** Sources below the scratch directory. */
  readonly sources: readonly string[];
  /** Whether relaysync is given --list-only or only a source (rsync lists either way). */
  readonly bare?: boolean;
  /** A destination given too, which --list-only ignores (with several sources, the last operand is one). */
  readonly ignoredDest?: boolean;
}

const cases: readonly Case[] = [
  { options: ['--list-only'], sources: ['src/'] },
  { options: [], sources: ['src/'], bare: true },
  { options: ['-r', '--list-only'], sources: ['src/'] },
  { options: ['-a'], sources: ['src/a', 'src/links'], bare: true },
  { options: ['-ah', '--list-only', '--exclude=*.txt'], sources: ['src/'] },
  { options: ['-aR', '--list-only'], sources: ['src/./a/b'] },
  { options: ['--list-only', '--no-inc-recursive', '-r'], sources: ['src/'] },
  { options: ['--list-only'], sources: ['src/missing', 'src/plain.txt'], ignoredDest: true },
  { options: ['-r', '--list-only'], sources: ['src/a/b', 'src/links', 'src/empty'], ignoredDest: true },
];

const versions: readonly RsyncVersion[] = ['3.5.0', '3.2.7'];

describe('listings match rsync listing a remote source', () => {
  cases.forEach((c, index) => {
    for (const protocol of [27, 28, 29, 30, 31, 32]) {
      const version = versions[(index + protocol) % versions.length]!;
      it(`${c.options.join(' ')}${c.bare ? ' (no destination)' : ''} ${c.sources.join(' ')}, protocol ${protocol}, rsync ${version}`, { skip: version === '3.2.7' ? skipUnlessRsync('3.2.7') : false }, async () => {
        const options = [...c.options, `--protocol=${protocol}`];
        const dest = c.ignoredDest ? ['unused/'] : [];
        const theirs = await runRsync(
          [...options, '-e', localRsh, `--rsync-path=${rsyncBinary(version)}`, ...c.sources.map((s, i) => (i === 0 ? `oracle-host:${s}` : `:${s}`)), ...dest],
          { cwd: scratch, env },
        );
        const mine = await runRelaysync([...options, `--rsync-path=${rsyncBinary(version)}`, ...c.sources, ...dest], { cwd: scratch, env });
        const explain = `relaysync:\n${transcript(mine)}\nrsync:\n${transcript(theirs)}`;
        assert.equal(mine.code, theirs.code, explain);
        assert.equal(mine.stdout, theirs.stdout, explain);
        assert.equal(existsSync(path.join(scratch, 'unused')), false, 'a listing made its ignored destination');
      });
    }
  });
});
