import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { CURRENT_QUOTING, remoteQuoting, renderRemoteCommand } from '../../../src/plan/remote-quote.js';
import type { ServerCommand } from '../../../src/transport/server-process.js';

const command = (paths: string[], quoting = CURRENT_QUOTING, options = ['--server', '--sender', '-r', '--backup-dir', 'a b']): ServerCommand => ({
  program: 'rsync',
  options,
  paths,
  side: 'source',
  relativePaths: false,
  quoting,
});
const quotingOf = (...argv: string[]) => remoteQuoting(parseCommandLine([...argv, 'a:x', 'b:y'], {}).options);

it('escapes options and paths for the shell, a leading ~ of a lone name too', () => {
  assert.equal(renderRemoteCommand(command(['a b', '~', '-x'])), 'rsync --server --sender -r --backup-dir a\\ b . a\\ b \\~ ./-x');
  assert.equal(renderRemoteCommand(command(['~'])), renderRemoteCommand({ ...command(['~']), quoting: undefined }));
});

it('leaves paths to the shell with --old-args, and everything with it twice', () => {
  assert.equal(renderRemoteCommand(command(['a b', '~', '-x'], quotingOf('--old-args'))), 'rsync --server --sender -r --backup-dir a\\ b . a b ~ ./-x');
  assert.equal(renderRemoteCommand(command(['a b'], quotingOf('--old-args', '--old-args'))), 'rsync --server --sender -r --backup-dir a b . a b');
});

it('trusts a leading ~ with --files-from on a host', () => {
  assert.equal(renderRemoteCommand(command(['~'], quotingOf('--files-from=h:l'))), 'rsync --server --sender -r --backup-dir a\\ b . ~');
});

it('runs only the options with -s: the rest goes through the protocol', () => {
  const secluded = { ...command([], CURRENT_QUOTING, ['--server', '--sender', '-sr', '--iconv=ab']), secludedArgs: ['--delete', '.', 'a b'] };
  assert.equal(renderRemoteCommand(secluded), 'rsync --server --sender -sr --iconv=ab');
});
