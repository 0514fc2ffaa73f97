import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPTION_TABLE, spellingsOf as spellingsApart, type OptionSpec } from '../../../src/cli/option-table.js';

function spellingsOf(option: OptionSpec): string[] {
  const { positive, negative } = spellingsApart(option);
  return [...positive, ...negative];
}

describe('option table', () => {
  it('declares each spelling once', () => {
    const seen = new Set<string>();
    for (const option of OPTION_TABLE) {
      for (const spelling of spellingsOf(option)) {
        assert.ok(!seen.has(spelling), `${spelling} is declared twice`);
        seen.add(spelling);
      }
    }
  });

  it('supports exactly the options relaysync relays so far', () => {
    const supported = OPTION_TABLE.filter((o) => o.status === 'supported').flatMap(spellingsOf).sort();
    const expected = [
      '-a', '--archive', '-r', '--recursive', '--no-recursive', '--no-r',
      '--inc-recursive', '--i-r', '--no-inc-recursive', '--no-i-r',
      '-l', '--links', '--no-links', '--no-l', '-L', '--copy-links',
      '-p', '--perms', '--no-perms', '--no-p', '-t', '--times', '--no-times', '--no-t',
      '-g', '--group', '--no-group', '--no-g', '-o', '--owner', '--no-owner', '--no-o',
      '-D', '--no-D', '--devices', '--no-devices', '--specials', '--no-specials',
      '-H', '--hard-links', '--no-hard-links', '--no-H',
      '-x', '--one-file-system', '--no-one-file-system', '--no-x',
      '-n', '--dry-run', '-v', '--verbose', '--no-verbose', '--no-v',
      '-z', '--compress', '--no-compress', '--no-z', '-c', '--checksum', '--no-checksum', '--no-c',
      '-W', '--whole-file', '--no-whole-file', '--no-W', '-u', '--update',
      '--delete', '--exclude', '--include', '--numeric-ids', '--no-numeric-ids',
      '--partial', '--no-partial', '--inplace', '--no-inplace', '--stats',
      '--progress', '--no-progress', '-P', '--protocol',
      '-h', '--human-readable', '--no-human-readable', '--no-h', '--help', '-V', '--version',
      '--rsync-path', '--source-rsync-path', '--dest-rsync-path', '-e', '--rsh', '--ssh-config',
    ].sort();
    assert.deepEqual(supported, expected);
  });

  it('gives every refused option a reason and every option help', () => {
    for (const option of OPTION_TABLE) {
      assert.ok(option.help.length > 0, `${spellingsOf(option)[0]} has no help`);
      if (option.status === 'not-yet') assert.ok(option.reason.length > 0, `${spellingsOf(option)[0]} has no reason`);
    }
  });

  it('spells negations as --no-OPTION', () => {
    for (const option of OPTION_TABLE) for (const name of option.no ?? []) assert.match(name, /^no-/);
  });
});
