import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultRelaySettings, serverProgram } from '../../../src/cli/relay-settings.js';

it('runs rsync unless told otherwise', () => {
  assert.equal(serverProgram(defaultRelaySettings(), 'source'), 'rsync');
  assert.equal(serverProgram(defaultRelaySettings(), 'dest'), 'rsync');
});

it('lets the per-side program win over --rsync-path', () => {
  const settings = { rsyncPath: 'sudo rsync', sourceRsyncPath: undefined, destRsyncPath: '/opt/rsync/bin/rsync' };
  assert.equal(serverProgram(settings, 'source'), 'sudo rsync');
  assert.equal(serverProgram(settings, 'dest'), '/opt/rsync/bin/rsync');
});
