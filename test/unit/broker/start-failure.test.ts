import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoGreeting } from '../../../src/broker/handshake.js';
import { explainStartFailure, quoteBytes, type StartedServer } from '../../../src/broker/start-failure.js';
import { encodeInt } from '../../../src/protocol/ints.js';
import type { ServerCommand, Side, Transport } from '../../../src/transport/server-process.js';

const noTransport = { start: () => Promise.reject(new Error('not started here')), close: async () => {} };

function server(side: Side, over: Partial<StartedServer> & { host?: string; user?: string; program?: string } = {}): StartedServer {
  const { host = side === 'source' ? 'web04' : 'web05', user = 'deploy', program = 'rsync', ...rest } = over;
  const transport: Transport = { ...noTransport, label: host, login: { user } };
  const command: ServerCommand = { program, options: ['--server'], paths: ['/data/'], side, relativePaths: false };
  return { transport, command, sent: `${program} --server . /data/`, received: encodeInt(32), stderr: [], exitCode: 12, ...rest };
}

const run = { interrupted: false, settled: false };

test('text before the protocol from a server that then waited for relaysync: a login script, with the user and what it printed', () => {
  const noisy = server('dest', { received: Buffer.concat([Buffer.from('Hi\tthere \x1b[1m"you"\n'), encodeInt(32)]) });
  const err = explainStartFailure(new NoGreeting('web05 (destination)', 'dest', noisy.received, false), { source: server('source'), dest: noisy }, run);
  assert.equal(err.exitCode, 2);
  assert.equal(err.side, 'dest');
  assert.match(err.message, /^web05 \(destination\) printed text before rsync started/);
  assert.ok(err.message.includes('It printed "Hi\\tthere \\x1b[1m\\"you\\"\\n".'), err.message);
  assert.match(err.message, /A login script of user deploy on web05 prints it .*~\/\.bashrc/);
  assert.match(err.message, /"ssh deploy@web05 true" must print nothing/);
});

test('a server that ended by itself before the protocol: what it was sent and what came back', () => {
  const refusing = server('source', { received: Buffer.alloc(0), stderr: ['rrsync error: reading from write-only server is not allowed'], exitCode: 1 });
  const err = explainStartFailure(new NoGreeting('web04 (source)', 'source', Buffer.alloc(0), true), { source: refusing, dest: server('dest') }, run);
  assert.equal(err.exitCode, 1);
  assert.equal(
    err.message.split('\n').slice(0, 3).join('\n'),
    'web04 (source) did not start rsync: it was sent the command\n    rsync --server . /data/\n' +
      'and said "rrsync error: reading from write-only server is not allowed", ending with exit code 1. ' +
      'If a forced command guards the key relaysync logs in with (command="..." in ~/.ssh/authorized_keys on web04, such as rrsync), ' +
      'it refused that command line: use a key whose forced command allows it to send files (rrsync without -wo) in that directory, or change the forced command.',
  );
  // Text on its output, a forced command's answer, is shown too, whatever the exit code.
  const printing = server('dest', { received: Buffer.from('denied\n'), exitCode: 0 });
  const second = explainStartFailure(new NoGreeting('web05', 'dest', printing.received, true), { dest: printing }, run);
  assert.match(second.message, /and printed "denied\\n", ending with exit code 0/);
  assert.equal(second.exitCode, 12);
});

test('rsync missing on both hosts: each named, with the option for its side', () => {
  const missing = (side: Side) => server(side, { received: Buffer.alloc(0), stderr: ['bash: line 1: rsync: command not found'], exitCode: 127 });
  const err = explainStartFailure(new NoGreeting('x', 'source', Buffer.alloc(0), true), { source: missing('source'), dest: missing('dest') }, run);
  assert.equal(err.exitCode, 127);
  assert.equal(err.side, undefined);
  const [first, second] = err.message.split('\nrelaysync: ');
  assert.match(first!, /^rsync is not installed on web04 \(source\), or not on the PATH user deploy's non-interactive shell has there .*--source-rsync-path=PATH/);
  assert.match(second!, /^rsync is not installed on web05 \(destination\).*--dest-rsync-path=PATH/);
});

test('a healthy server stopped because the other failed is not blamed', () => {
  const stopped = server('source', { received: Buffer.alloc(0), exitCode: null });
  const original = new NoGreeting('web05 (destination)', 'dest', Buffer.alloc(0), true);
  const failed = server('dest', { received: Buffer.alloc(0), stderr: ['Permission denied'], exitCode: 1 });
  const err = explainStartFailure(original, { source: stopped, dest: failed }, run);
  assert.equal(err.side, 'dest');
  assert.doesNotMatch(err.message, /web04/);
  // Once the handshake is over, no server is taken for one that did not start.
  const later = explainStartFailure(original, { source: stopped, dest: failed }, { ...run, settled: true });
  assert.equal(later.message, "web05 (destination) closed the connection before rsync's protocol started (its rsync exited with code 1; see its messages above)");
});

test('quoteBytes shows what is invisible and cuts long text', () => {
  assert.equal(quoteBytes(Buffer.from([0x41, 0x0d, 0x00, 0xff, 0x5c])), '"A\\r\\x00\\xff\\\\"');
  assert.equal(quoteBytes(Buffer.alloc(200, 0x61)), `"${'a'.repeat(96)}"...`);
});
