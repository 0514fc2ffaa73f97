// A peer sent something the protocol does not allow. The message says what
// was wrong; the broker adds which host sent it and in which phase.
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
