import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transport } from '../../../src/transport/server-process.js';
import { FailureCause } from '../../../src/ui/failure-cause.js';

function transport(label: string, login: Transport['login']): Transport {
  return { label, login, start: () => Promise.reject(new Error('not started here')), close: async () => {} };
}

// The lines below are rsync 3.5.0's own, from failed runs.
const hosts = { source: transport('web04', { user: 'deploy' }), dest: transport('web05', { user: undefined }) };

test('a source path that does not exist', () => {
  const cause = new FailureCause(hosts);
  cause.serverMessage('source', 'error', Buffer.from('rsync: [sender] change_dir "/data/nope" failed: No such file or directory (2)\n'));
  assert.equal(cause.describe(), '"/data/nope" does not exist on web04 (source); check the path');
});

test("a destination whose parent is missing, reported on the server's stderr; rsync's closing line is not a cause", () => {
  const cause = new FailureCause(hosts);
  cause.serverStderr('dest', 'rsync: [Receiver] mkdir "/backup/no/such" failed: No such file or directory (2)');
  cause.serverStderr('dest', 'rsync error: error in file IO (code 11) at main.c(808) [Receiver=3.5.0]');
  assert.equal(cause.describe(), 'cannot create "/backup/no/such" on web05 (destination): its parent directory does not exist; create it, or add --mkpath');
});

test('permissions on either side: the first report, the user, and how many more', () => {
  const cause = new FailureCause(hosts);
  cause.serverMessage('source', 'error', Buffer.from('rsync: [sender] opendir "/data/sub" failed: Permission denied (13)\n'));
  cause.serverMessage('source', 'error-xfer', Buffer.from('rsync: [sender] send_files failed to open "/data/secret": Permission denied (13)\n'));
  cause.serverMessage('dest', 'error-xfer', Buffer.from('rsync: [receiver] mkstemp "/backup/ro/.a.YjPEvK" failed: Permission denied (13)\n'));
  assert.equal(
    cause.describe(),
    'user deploy may not read "/data/sub" on web04 (source) (Permission denied); give that user access, or log in there as a user who has it (and 2 more errors above)',
  );
  const dest = new FailureCause(hosts);
  dest.serverMessage('dest', 'error-xfer', Buffer.from('rsync: [receiver] mkstemp "/backup/ro/.a.YjPEvK" failed: Permission denied (13)\n'));
  assert.match(dest.describe()!, /^the user relaysync logs in as may not create files in "\/backup\/ro" on web05 \(destination\)/);
  const times = new FailureCause(hosts);
  times.serverMessage('dest', 'error-xfer', Buffer.from('rsync: [generator] failed to set times on "/backup/ro/.": Operation not permitted (1)\n'));
  assert.match(times.describe()!, /^the user relaysync logs in as may not write to "\/backup\/ro" on web05 \(destination\) \(Operation not permitted\)/);
});

test('a report about a path wins over an earlier one that is not; info and warnings are no cause', () => {
  const cause = new FailureCause({ source: transport('local', undefined) });
  cause.serverMessage('source', 'warning', Buffer.from('rsync: some warning\n'));
  cause.serverMessage('source', 'error', Buffer.from('rsync: something odd happened\n'));
  cause.serverMessage('source', 'error', Buffer.from('rsync: [sender] link_stat "/x" failed: Not a directory (20)\n'));
  assert.equal(cause.describe(), 'a part of "/x" on this machine (source) is not a directory; check the path (and 1 more error above)');
  const vague = new FailureCause(hosts);
  vague.serverStderr('dest', 'rsync: something odd happened');
  assert.equal(vague.describe(), 'the first error came from web05 (destination): rsync: something odd happened');
  assert.equal(new FailureCause(hosts).describe(), undefined);
});
