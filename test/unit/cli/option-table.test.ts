import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARG_ORDER, CLUSTER_ORDER, OPTION_TABLE, spellingsOf as spellingsApart, statusOf, type OptionSpec } from '../../../src/cli/option-table.js';

function spellingsOf(option: OptionSpec): string[] {
  const { positive, negative } = spellingsApart(option);
  return [...positive, ...negative];
}

/** The options with a status, each by its first long name (or short letter). */
function named(status: ReturnType<typeof statusOf>): string[] {
  return OPTION_TABLE.filter((o) => statusOf(o) === status)
    .map((o) => o.long[0] ?? o.short!)
    .sort();
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

  it('runs exactly the options the broker relays so far', () => {
    assert.deepEqual(
      named('runs'),
      [
        'D', 'F', 'P', 'acls', 'archive', 'backup', 'backup-dir', 'block-size', 'checksum', 'chown', 'compare-dest', 'compress',
        'compress-level', 'contimeout', 'copy-devices', 'copy-dest', 'copy-dirlinks', 'copy-links', 'copy-unsafe-links',
        'cvs-exclude', 'delay-updates', 'delete', 'delete-after', 'delete-before', 'delete-delay', 'delete-during',
        'delete-excluded', 'dest-rsync-path', 'devices', 'dirs', 'dry-run', 'exclude', 'exclude-from', 'executability',
        'existing', 'filter', 'force', 'from0', 'fsync', 'fuzzy', 'group', 'groupmap', 'hard-links', 'help',
        'human-readable', 'ignore-errors', 'ignore-existing', 'ignore-missing-args', 'ignore-times', 'implied-dirs',
        'inc-recursive', 'include', 'include-from', 'inplace', 'keep-dirlinks', 'link-dest', 'links',
        'max-alloc', 'max-delete', 'max-size', 'min-size', 'mkpath', 'modify-window', 'numeric-ids', 'omit-dir-times',
        'old-dirs', 'omit-link-times', 'one-file-system', 'open-noatime', 'owner', 'partial', 'partial-dir', 'perms',
        'preallocate', 'progress', 'protocol', 'prune-empty-dirs', 'quiet', 'recursive', 'remove-sent-files', 'remove-source-files', 'rsh', 'rsync-path',
        'safe-links', 'size-only', 'skip-compress', 'source-rsync-path', 'ssh-config', 'sparse', 'specials', 'stats', 'suffix', 'super',
        'temp-dir', 'times', 'update', 'usermap', 'verbose', 'version', 'whole-file', 'write-devices', 'xattrs',
      ].sort(),
    );
  });

  it('parses but does not run the options that still need broker work', () => {
    assert.deepEqual(
      named('needs-broker'),
      [
        'append', 'append-verify', 'atimes', 'checksum-choice', 'chmod', 'compress-choice', 'crtimes', 'debug',
        'delete-missing-args', 'fake-super', 'files-from', 'iconv', 'info', 'itemize-changes', 'list-only', 'log-file',
        'log-file-format', 'munge-links', 'new-compress', 'old-args', 'old-compress', 'out-format', 'relative',
        'secluded-args', 'timeout', 'bwlimit',
      ].sort(),
    );
  });

  it('gives every option help, and a reason to every one that does not run', () => {
    for (const option of OPTION_TABLE) {
      assert.ok(option.help.length > 0, `${spellingsOf(option)[0]} has no help`);
      if (option.status === 'refused') assert.ok(option.reason.length > 0, `${spellingsOf(option)[0]} has no reason`);
      if (option.status === 'supported' && option.needsBroker) assert.ok(option.needsBroker.reason.length > 0);
    }
  });

  it('spells negations as --no-OPTION', () => {
    for (const option of OPTION_TABLE) for (const name of option.no ?? []) assert.match(name, /^no-/);
  });

  it('places every cluster letter and every argument slot once', () => {
    assert.equal(new Set(CLUSTER_ORDER).size, CLUSTER_ORDER.length);
    assert.equal(new Set(ARG_ORDER).size, ARG_ORDER.length);
  });
});
