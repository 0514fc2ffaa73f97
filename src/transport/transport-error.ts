// Why a host could not be reached or a server could not be started, with a
// message meant for the user: it names the host, what happened, and what to do.

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
