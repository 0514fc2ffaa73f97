import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeMessage } from '../../../src/broker/message-routing.js';
import { MSG } from '../../../src/protocol/constants.js';
import { ProtocolError } from '../../../src/protocol/errors.js';

const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};

test('log lines are printed, tagged by level', () => {
  assert.deepEqual(routeMessage('dest', MSG.WARNING, Buffer.from('x\n')), { kind: 'print', level: 'warning', text: Buffer.from('x\n') });
});

test('what the other server needs is passed on; what a client consumes is consumed', () => {
  assert.equal(routeMessage('source', MSG.IO_ERROR, int(1)).kind, 'forward');
  assert.equal(routeMessage('source', MSG.NO_SEND, int(7)).kind, 'forward');
  assert.equal(routeMessage('dest', MSG.SUCCESS, int(7)).kind, 'forward');
  assert.equal(routeMessage('source', MSG.NOOP, Buffer.alloc(0)).kind, 'forward');
  assert.deepEqual(routeMessage('dest', MSG.DELETED, Buffer.from('dir\0')), { kind: 'deleted', name: Buffer.from('dir'), isDirectory: true });
  assert.deepEqual(routeMessage('dest', MSG.ERROR_EXIT, int(11)), { kind: 'error-exit', code: 11 });
  assert.deepEqual(routeMessage('source', MSG.ERROR_EXIT, Buffer.alloc(0)), { kind: 'error-exit-ack' });
});

test('a message a server never sends its client is a protocol error, as is a malformed one', () => {
  assert.throws(() => routeMessage('source', MSG.SUCCESS, int(1)), ProtocolError);
  assert.throws(() => routeMessage('dest', MSG.NO_SEND, int(1)), ProtocolError);
  assert.throws(() => routeMessage('source', MSG.REDO, int(1)), ProtocolError);
  assert.throws(() => routeMessage('source', MSG.IO_ERROR, Buffer.alloc(2)), /4/);
});
