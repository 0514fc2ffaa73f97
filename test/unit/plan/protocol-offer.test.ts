import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRsyncOptions, type RsyncOptions } from '../../../src/cli/rsync-options.js';
import { capabilityLetters, offeredProtocol } from '../../../src/plan/protocol-offer.js';

const recursive = (changes: Partial<RsyncOptions> = {}): RsyncOptions => ({ ...defaultRsyncOptions(), recurse: 2, ...changes });

describe('offeredProtocol', () => {
  it('offers 32 unless --protocol lowers it', () => {
    assert.equal(offeredProtocol(defaultRsyncOptions()), 32);
    assert.equal(offeredProtocol({ ...defaultRsyncOptions(), protocol: 28 }), 28);
  });
});

describe('capabilityLetters', () => {
  it('offers every letter with recursion', () => {
    assert.equal(capabilityLetters(recursive()), 'iLsfxCIvu');
  });

  it('offers no incremental recursion without recursion or with --no-i-r', () => {
    assert.equal(capabilityLetters(defaultRsyncOptions()), 'LsfxCIvu');
    assert.equal(capabilityLetters(recursive({ allowIncRecurse: false })), 'LsfxCIvu');
  });

  it('drops i for what a receiving client drops it for', () => {
    for (const field of ['deleteBefore', 'deleteAfter', 'delayUpdates', 'pruneEmptyDirs'] as const) {
      assert.equal(capabilityLetters(recursive({ [field]: true })), 'LsfxCIvu', field);
    }
    assert.equal(capabilityLetters(recursive({ deleteMode: true })), 'iLsfxCIvu');
  });

  it('offers none below protocol 30', () => {
    assert.equal(capabilityLetters(recursive({ protocol: 29 })), undefined);
    assert.equal(capabilityLetters(recursive({ protocol: 30 })), 'iLsfxCIvu');
  });

  it('keeps only the allowed letters, in rsync order', () => {
    assert.equal(capabilityLetters(recursive(), 'vuxfi'), 'ifxvu');
    assert.equal(capabilityLetters(defaultRsyncOptions(), 'i'), '');
  });
});
