// Why a host could not be reached or a server could not be started, with a
// message meant for the user: it names the host, what happened, and what to do.
import { SIDE_NAMES, type Side } from './server-process.js';

export type TransportFailure =
  | 'config' // the ssh configuration is wrong (the message names file and line)
  | 'dns' // the host name does not resolve
  | 'refused' // nothing listens on that port
  | 'unreachable' // no route to the host
  | 'timeout' // ConnectTimeout expired, or the network never answered
  | 'handshake' // the SSH handshake failed (no common algorithm, not an SSH server, ...)
  | 'host-key' // the host key is unknown, changed, revoked or unverifiable: nothing was sent to the host
  | 'auth' // no identity was accepted
  | 'session' // the connection is up but a command could not be started
  | 'interrupted' // the user pressed Ctrl-C at one of relaysync's prompts
  | 'disconnected'; // the connection dropped

export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    /** The host as the user named it. */
    readonly host: string,
    readonly reason: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The failures that kept a run's hosts from being reached, as one error whose
 * message names each host with its side (`web05 (destination): ...`); a host
 * that failed as both ends is told once. The first failure decides the reason.
 */
export function failedSides(failures: readonly { readonly side: Side; readonly error: TransportError }[]): TransportError {
  const told = new Map<string, { error: TransportError; sides: Side[] }>();
  for (const { side, error } of failures) {
    const seen = told.get(error.message);
    if (seen) seen.sides.push(side);
    else told.set(error.message, { error, sides: [side] });
  }
  const messages = [...told.values()].map(({ error, sides }) => {
    const named = `${error.host} (${sides.map((side) => SIDE_NAMES[side]).join(' and ')})`;
    return error.message.startsWith(`${error.host}: `) ? named + error.message.slice(error.host.length) : error.message;
  });
  const first = failures[0]!.error;
  return new TransportError(first.host, first.reason, messages.join('\nrelaysync: '));
}
