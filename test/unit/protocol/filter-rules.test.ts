import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addIncludeExclude, encodeRules, receiverWantsRules, RulesTooModern, type FilterRule } from '../../../src/protocol/filter-rules.js';

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

function rules(...specs: [string, boolean][]): FilterRule[] {
  return specs.reduce<FilterRule[]>((list, [text, include]) => addIncludeExclude(list, text, include, false), []);
}

test('--exclude and --include as a protocol 29+ server reads them', () => {
  const list = rules(['*.o', false], ['keep/', true], ['- cache/', true]);
  assert.deepEqual(wire(list, 'sender', 31), ['- *.o', '+ keep/', '- cache/']);
  assert.deepEqual(wire(list, 'receiver', 31), ['- *.o', '+ keep/', '- cache/']);
});

test('before protocol 29 an exclude goes bare unless it looks like a prefix', () => {
  const list = rules(['*.o', false], ['+ x', false], ['inc', true]);
  assert.deepEqual(wire(list, 'sender', 28), ['*.o', '+ x', '+ inc']);
});

test('"!" clears what came before', () => {
  assert.deepEqual(wire(rules(['*.o', false], ['!', false], ['*.a', false]), 'sender', 31), ['- *.a']);
});

test('with --delete-excluded the receiver does not get plain rules, the sender gets them marked', () => {
  const list = addIncludeExclude([], '*.tmp', false, true);
  assert.deepEqual(wire(list, 'sender', 31, true), ['-s *.tmp']);
  assert.deepEqual(wire(list, 'receiver', 31, true), []);
});

test('a rule a protocol-28 server cannot read is refused', () => {
  const list = addIncludeExclude([], '*.tmp', false, true);
  assert.throws(() => wire([{ ...list[0]!, flags: list[0]!.flags | (1 << 7) }], 'sender', 28), RulesTooModern);
});

test('a receiver reads rules only when it deletes or prunes', () => {
  assert.equal(receiverWantsRules({ protocol: 31, deleteMode: false, deleteExcluded: false, pruneEmptyDirs: false }), false);
  assert.equal(receiverWantsRules({ protocol: 31, deleteMode: true, deleteExcluded: false, pruneEmptyDirs: false }), true);
  assert.equal(receiverWantsRules({ protocol: 28, deleteMode: true, deleteExcluded: true, pruneEmptyDirs: false }), false);
});
