import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSecludedArgs } from '../../../src/protocol/secluded-args.js';

test('secluded arguments: a program name, each argument NUL-terminated, an empty one as ".", then an empty string', () => {
  assert.deepEqual(encodeSecludedArgs(['--delete', '', 'dir with space/']), Buffer.from('rsync\0--delete\0.\0dir with space/\0\0'));
});
