import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRules, receiverWantsRules, RULE, ruleSentTo, RulesTooModern, type FilterRule } from '../../../src/protocol/filter-rules.js';

function wire(rules: FilterRule[], audience: 'sender' | 'receiver', protocol: number, deleteExcluded = false): string[] {
  const bytes = encodeRules(rules, audience, { protocol, deleteMode: true, deleteExcluded, pruneEmptyDirs: false });
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const length = bytes.readInt32LE(pos);
    pos += 4;
    if (length === 0) break;
    out.push(bytes.subarray(pos, pos + length).toString());
    pos += length;
  }
  assert.equal(pos, bytes.length);
  return out;
}

const rule = (flags: number, pattern: string): FilterRule => ({ flags, pattern: Buffer.from(pattern) });

test('excludes and includes as a protocol 29+ server reads them', () => {
  const list = [rule(0, '*.o'), rule(RULE.INCLUDE | RULE.DIRECTORY, 'keep'), rule(0, 'cache')];
  assert.deepEqual(wire(list, 'sender', 31), ['- *.o', '+ keep/', '- cache']);
  assert.deepEqual(wire(list, 'receiver', 31), ['- *.o', '+ keep/', '- cache']);
});

test('the list is length-prefixed rules ending with a zero length', () => {
  const bytes = encodeRules([rule(0, 'a')], 'sender', { protocol: 31, deleteMode: false, deleteExcluded: false, pruneEmptyDirs: false });
  assert.deepEqual(bytes, Buffer.from([3, 0, 0, 0, 0x2d, 0x20, 0x61, 0, 0, 0, 0]));
});

test('before protocol 29 an exclude goes bare unless it looks like a prefix', () => {
  const list = [rule(0, '*.o'), rule(0, '+ x'), rule(RULE.INCLUDE, 'inc')];
  assert.deepEqual(wire(list, 'sender', 28), ['*.o', '- + x', '+ inc']);
});

test('every modifier in get_rule_prefix order', () => {
  const merge = RULE.MERGE_FILE | RULE.PERDIR_MERGE;
  assert.deepEqual(wire([rule(merge | RULE.ABS_PATH | RULE.NO_INHERIT | RULE.WORD_SPLIT | RULE.NO_PREFIXES | RULE.INCLUDE | RULE.XATTR, 'f')], 'sender', 31), [
    ':/nw+x f',
  ]);
  assert.deepEqual(wire([rule(RULE.NEGATE | RULE.ABS_PATH | RULE.PERISHABLE | RULE.SENDER_SIDE | RULE.RECEIVER_SIDE, 'x')], 'sender', 31), ['-/!srp x']);
  const cvs = RULE.CVS_IGNORE | RULE.NO_PREFIXES | RULE.WORD_SPLIT | RULE.NO_INHERIT;
  assert.deepEqual(wire([rule(merge | cvs, '.cvsignore'), rule(cvs, '')], 'sender', 31), [':C .cvsignore', '-C ']);
});

test('sided rules go to their side only', () => {
  const list = [rule(RULE.SENDER_SIDE, 'hidden'), rule(RULE.RECEIVER_SIDE, 'kept'), rule(RULE.INCLUDE | RULE.SENDER_SIDE | RULE.RECEIVER_SIDE, 'both')];
  assert.deepEqual(wire(list, 'sender', 31), ['-s hidden', '+sr both']);
  assert.deepEqual(wire(list, 'receiver', 31), ['-r kept', '+sr both']);
});

test('with --delete-excluded the receiver gets no plain rules and no plain per-directory merges', () => {
  const merge = RULE.MERGE_FILE | RULE.PERDIR_MERGE;
  const list = [rule(RULE.SENDER_SIDE, '*.tmp'), rule(0, 'added-before'), rule(merge, '.rules'), rule(merge | RULE.NO_PREFIXES, '.plain'), rule(RULE.RECEIVER_SIDE, 'p')];
  assert.deepEqual(wire(list, 'sender', 31, true), ['-s *.tmp', '- added-before', ': .rules', ':- .plain']);
  assert.deepEqual(wire(list, 'receiver', 31, true), [': .rules', '-r p']);
  assert.equal(ruleSentTo(list[1]!, 'receiver', true), false);
  assert.equal(ruleSentTo(list[1]!, 'receiver', false), true);
});

test('before protocol 29 a protect rule reaches the receiver as a bare pattern, except with --delete-excluded', () => {
  assert.deepEqual(wire([rule(RULE.RECEIVER_SIDE, 'p')], 'receiver', 28), ['p']);
  assert.throws(() => wire([rule(RULE.RECEIVER_SIDE, 'p')], 'receiver', 28, true), RulesTooModern);
});

test('a perishable rule: "p" from protocol 30; left off toward an older sender, refused toward an older receiver', () => {
  const list = [rule(RULE.PERISHABLE | RULE.DIRECTORY, '.partial')];
  assert.deepEqual(wire(list, 'sender', 30), ['-p .partial/']);
  assert.deepEqual(wire(list, 'sender', 29), ['- .partial/']);
  assert.throws(() => wire(list, 'receiver', 29), RulesTooModern);
});

test('a rule a protocol-28 server cannot read is refused', () => {
  assert.throws(() => wire([rule(RULE.ABS_PATH, 'x')], 'sender', 28), RulesTooModern);
  assert.throws(() => wire([rule(RULE.MERGE_FILE | RULE.PERDIR_MERGE, '.f')], 'sender', 28), RulesTooModern);
  // A sender-side rule loses its "s" before 29 and goes as a plain one.
  assert.deepEqual(wire([rule(RULE.SENDER_SIDE, 'x')], 'sender', 28), ['x']);
});

test('a receiver reads filter rules only when it deletes or prunes', () => {
  assert.equal(receiverWantsRules({ protocol: 31, deleteMode: false, deleteExcluded: false, pruneEmptyDirs: false }), false);
  assert.equal(receiverWantsRules({ protocol: 31, deleteMode: true, deleteExcluded: false, pruneEmptyDirs: false }), true);
  assert.equal(receiverWantsRules({ protocol: 31, deleteMode: false, deleteExcluded: false, pruneEmptyDirs: true }), true);
  assert.equal(receiverWantsRules({ protocol: 28, deleteMode: true, deleteExcluded: true, pruneEmptyDirs: false }), false);
  assert.equal(receiverWantsRules({ protocol: 29, deleteMode: true, deleteExcluded: true, pruneEmptyDirs: false }), true);
});
