// What the broker does with each message a server sends (read_a_msg in
// rsync's io.c, from the client's point of view). Log lines are printed
// here, tagged with the side; what the other server needs (an I/O error that
// must stop its deletions, a file the sender could not open, a file the
// receiver finished when the source is to be removed) is passed on; what
// only a client consumes (deletions to report, exit synchronisation) is
// consumed. Pure: it returns the actions and the relay carries them out.
import { MSG } from '../protocol/constants.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Side } from '../transport/server-process.js';

export type MessageKind = 'info' | 'error' | 'error-xfer' | 'warning';

export type MessageAction =
  | { readonly kind: 'print'; readonly level: MessageKind; readonly text: Buffer }
  | { readonly kind: 'forward'; readonly tag: number; readonly payload: Buffer }
  | { readonly kind: 'deleted'; readonly name: Buffer; readonly isDirectory: boolean }
  | { readonly kind: 'io-error'; readonly bits: number }
  /** The server is ending the run with this exit code (protocol 31+). */
  | { readonly kind: 'error-exit'; readonly code: number }
  /** The server acknowledged an error exit. */
  | { readonly kind: 'error-exit-ack' }
  | { readonly kind: 'ignore' };

const PRINTED: Readonly<Record<number, MessageKind>> = {
  [MSG.INFO]: 'info',
  [MSG.ERROR]: 'error',
  [MSG.ERROR_XFER]: 'error-xfer',
  [MSG.WARNING]: 'warning',
};

function int(payload: Buffer, what: string): number {
  if (payload.length !== 4) throw new ProtocolError(`${what} message of ${payload.length} bytes (expected 4)`);
  return payload.readInt32LE(0);
}

export function routeMessage(from: Side, tag: number, payload: Buffer): MessageAction {
  const level = PRINTED[tag];
  if (level) return { kind: 'print', level, text: payload };
  switch (tag) {
    case MSG.ERROR_EXIT:
      if (payload.length === 0) return { kind: 'error-exit-ack' };
      return { kind: 'error-exit', code: int(payload, 'error-exit') };
    case MSG.NOOP:
      // Protocol 30's keep-alive: passed on, it keeps the other server from timing out too.
      if (payload.length !== 0) break;
      return { kind: 'forward', tag, payload };
    case MSG.IO_TIMEOUT:
      return { kind: 'ignore' };
    case MSG.IO_ERROR:
      int(payload, 'I/O error');
      return from === 'source' ? { kind: 'forward', tag, payload } : { kind: 'io-error', bits: payload.readInt32LE(0) };
    case MSG.NO_SEND:
      if (from !== 'source') break;
      int(payload, 'no-send');
      return { kind: 'forward', tag, payload };
    case MSG.SUCCESS:
      if (from !== 'dest') break;
      int(payload, 'success');
      return { kind: 'forward', tag, payload };
    case MSG.DELETED: {
      if (from !== 'dest') break;
      // A directory's name comes with a trailing NUL.
      const isDirectory = payload.length > 0 && payload[payload.length - 1] === 0;
      return { kind: 'deleted', name: isDirectory ? payload.subarray(0, -1) : payload, isDirectory };
    }
  }
  throw new ProtocolError(`unexpected message ${tag} (${payload.length} bytes) from the ${from === 'source' ? 'sender' : 'receiver'}`);
}
