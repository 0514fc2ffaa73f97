import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { FilterSyntaxError, parseFilterRules, type RuleTemplate } from '../../../src/cli/filter-syntax.js';
import { RULE } from '../../../src/protocol/filter-rules.js';

const FILTER: RuleTemplate = { flags: 0, oldPrefixes: false };
const EXCLUDE: RuleTemplate = { flags: 0, oldPrefixes: true };
const one = (text: string, template = FILTER) => parseFilterRules(text, template);

function refused(text: string, message: string, template = FILTER): void {
  assert.throws(
    () => parseFilterRules(text, template),
    (err: unknown) => err instanceof CliError && err.message === `relaysync: ${message}` && err.exitCode === 1,
  );
}

describe('filter rules', () => {
  it('reads kinds as characters and as words', () => {
    assert.deepEqual(one('- *.o'), [{ flags: 0, pattern: '*.o' }]);
    assert.deepEqual(one('exclude *.o'), [{ flags: 0, pattern: '*.o' }]);
    assert.deepEqual(one('+ keep'), [{ flags: RULE.INCLUDE, pattern: 'keep' }]);
    assert.deepEqual(one('include_keep'), [{ flags: RULE.INCLUDE, pattern: 'keep' }]);
    assert.deepEqual(one('P x'), [{ flags: RULE.RECEIVER_SIDE, pattern: 'x' }]);
    assert.deepEqual(one('protect x'), [{ flags: RULE.RECEIVER_SIDE, pattern: 'x' }]);
    assert.deepEqual(one('risk x'), [{ flags: RULE.INCLUDE | RULE.RECEIVER_SIDE, pattern: 'x' }]);
    assert.deepEqual(one('hide x'), [{ flags: RULE.SENDER_SIDE, pattern: 'x' }]);
    assert.deepEqual(one('S x'), [{ flags: RULE.INCLUDE | RULE.SENDER_SIDE, pattern: 'x' }]);
    assert.deepEqual(one('merge f'), [{ flags: RULE.MERGE_FILE, pattern: 'f' }]);
    assert.deepEqual(one('dir-merge .f'), [{ flags: RULE.MERGE_FILE | RULE.PERDIR_MERGE, pattern: '.f' }]);
    assert.deepEqual(one('!'), [{ flags: RULE.CLEAR_LIST, pattern: '' }]);
    assert.deepEqual(one('clear'), [{ flags: RULE.CLEAR_LIST, pattern: '' }]);
  });

  it('reads modifiers after the kind or after a comma', () => {
    assert.deepEqual(one('-/ x'), [{ flags: RULE.ABS_PATH, pattern: 'x' }]);
    assert.deepEqual(one('-,! x'), [{ flags: RULE.NEGATE, pattern: 'x' }]);
    assert.deepEqual(one('exclude,sp x'), [{ flags: RULE.SENDER_SIDE | RULE.PERISHABLE, pattern: 'x' }]);
    assert.deepEqual(one('+x x'), [{ flags: RULE.INCLUDE | RULE.XATTR, pattern: 'x' }]);
    assert.deepEqual(one(':n- .f'), [{ flags: RULE.MERGE_FILE | RULE.PERDIR_MERGE | RULE.NO_INHERIT | RULE.NO_PREFIXES, pattern: '.f' }]);
    assert.deepEqual(one('.e f'), [{ flags: RULE.MERGE_FILE | RULE.EXCLUDE_SELF, pattern: 'f' }]);
  });

  it('reads -C as the CVS rules, and a merge without a name as .cvsignore', () => {
    const cvs = RULE.NO_PREFIXES | RULE.WORD_SPLIT | RULE.NO_INHERIT | RULE.CVS_IGNORE;
    assert.deepEqual(one('-C'), [{ flags: cvs, pattern: '' }]);
    assert.deepEqual(one(':C'), [{ flags: RULE.MERGE_FILE | RULE.PERDIR_MERGE | cvs, pattern: '.cvsignore' }]);
  });

  it('keeps the pattern after one separator, spaces and all', () => {
    assert.deepEqual(one('-  two spaces'), [{ flags: 0, pattern: ' two spaces' }]);
    assert.deepEqual(one('- dir/'), [{ flags: 0, pattern: 'dir/' }]);
  });

  it("refuses in rsync's words", () => {
    refused('bogus', 'Unknown filter rule: bogus');
    refused('excludex y', 'Unknown filter rule: excludex y');
    refused('-X foo', "invalid modifier 'X' at position 1 in filter rule: -X foo");
    refused('merge,!x', "invalid modifier '!' at position 6 in filter rule: merge,!x");
    refused('P,s x', "invalid modifier 's' at position 2 in filter rule: P,s x");
    refused('-e x', "invalid modifier 'e' at position 1 in filter rule: -e x");
    refused('clear foo', "'!' rule has trailing characters: clear foo");
    refused('! ', "'!' rule has trailing characters: ! ");
    refused('- ', 'unexpected end of filter rule: - ');
    refused('+', 'unexpected end of filter rule: +');
  });

  it('reads --exclude and --include text with old prefixes only', () => {
    assert.deepEqual(one('- x', EXCLUDE), [{ flags: 0, pattern: 'x' }]);
    assert.deepEqual(one('+ x', EXCLUDE), [{ flags: RULE.INCLUDE, pattern: 'x' }]);
    assert.deepEqual(one('x', { flags: RULE.INCLUDE, oldPrefixes: true }), [{ flags: RULE.INCLUDE, pattern: 'x' }]);
    assert.deepEqual(one('P x', EXCLUDE), [{ flags: 0, pattern: 'P x' }]);
    assert.deepEqual(one('!', EXCLUDE), [{ flags: RULE.CLEAR_LIST, pattern: '!' }]);
    assert.deepEqual(one('!x', EXCLUDE), [{ flags: 0, pattern: '!x' }]);
    assert.deepEqual(one('', EXCLUDE), []);
    refused('- ', 'unexpected end of filter rule: - ', EXCLUDE);
  });

  it('reads a word-splitting merge file one word at a time, inheriting its modifiers', () => {
    const template = { flags: RULE.NO_PREFIXES | RULE.WORD_SPLIT | RULE.INCLUDE, oldPrefixes: false };
    assert.deepEqual(parseFilterRules('  a  b/ ', template), [
      { flags: RULE.INCLUDE, pattern: 'a' },
      { flags: RULE.INCLUDE, pattern: 'b/' },
    ]);
    refused('H x', 'specified-side merge file contains specified-side filter: H x', { flags: RULE.SENDER_SIDE, oldPrefixes: false });
  });

  it('names the place of text read from a file, not the text, as rsync 3.5 does', () => {
    const inFile = { flags: 0, oldPrefixes: false, from: 'rules line 3' };
    refused('bogus', 'Unknown filter rule: <rule from rules line 3>', inFile);
    refused('-X foo', 'invalid modifier in filter rule: <rule from rules line 3>', inFile);
    refused('- ', 'unexpected end of filter rule: <rule from rules line 3>', inFile);
    assert.throws(
      () => parseFilterRules('bogus', inFile),
      (err: unknown) => err instanceof FilterSyntaxError && err.rsyncMessage === 'Unknown filter rule: <rule from rules line 3>',
    );
  });
});
