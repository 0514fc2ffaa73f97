import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARG_ORDER, CLUSTER_ORDER, OPTION_TABLE, spellingsOf as spellingsApart, type OptionSpec } from '../../../src/cli/option-table.js';

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

  it('gives every option help, and a reason to every one that does not run', () => {
    for (const option of OPTION_TABLE) {
      assert.ok(option.help.length > 0, `${spellingsOf(option)[0]} has no help`);
      if (option.status === 'refused') assert.ok(option.reason.length > 0, `${spellingsOf(option)[0]} has no reason`);
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
