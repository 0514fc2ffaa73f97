import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRsyncOptions, type RsyncOptions } from '../../../src/cli/rsync-options.js';
import { capabilityLetters, offeredProtocol, protocolTooOld } from '../../../src/plan/protocol-offer.js';

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

describe('protocolTooOld', () => {
  const options = (changes: Partial<RsyncOptions>): RsyncOptions => ({ ...defaultRsyncOptions(), ...changes });

  it("gives rsync's message for an option the protocol is too old for", () => {
    assert.equal(protocolTooOld(options({ preserveAcls: true }), 29), '--acls requires protocol 30 or higher (negotiated 29).');
    assert.equal(protocolTooOld(options({ preserveXattrs: 1 }), 27), '--xattrs requires protocol 30 or higher (negotiated 27).');
    assert.equal(protocolTooOld(options({ fuzzyBasis: 1 }), 28), '--fuzzy requires protocol 29 or higher (negotiated 28).');
    assert.equal(
      protocolTooOld(options({ basisDirs: ['a', 'b'], altDestType: 'copy-dest' }), 28),
      'Using more than one --copy-dest option requires protocol 29 or higher (negotiated 28).',
    );
    assert.equal(
      protocolTooOld(options({ basisDirs: ['a'], altDestType: 'compare-dest', inplace: true }), 27),
      '--compare-dest with --inplace requires protocol 29 or higher (negotiated 27).',
    );
    assert.equal(protocolTooOld(options({ pruneEmptyDirs: true }), 28), '--prune-empty-dirs requires protocol 29 or higher (negotiated 28).');
  });

  it('refuses -U at protocol 27, where rsync sends a file list its own receiver cannot read', () => {
    assert.equal(protocolTooOld(options({ preserveAtimes: 1 }), 27), '--atimes requires protocol 28 or higher (negotiated 27).');
    assert.equal(protocolTooOld(options({ preserveAtimes: 1 }), 28), undefined);
  });

  it('lets the same options run at the protocols that have them', () => {
    assert.equal(protocolTooOld(options({ preserveAcls: true, preserveXattrs: 1 }), 30), undefined);
    assert.equal(protocolTooOld(options({ fuzzyBasis: 1, basisDirs: ['a', 'b'], pruneEmptyDirs: true }), 29), undefined);
  });
});
