// An error that ends the run: what happened, on which side, and the rsync
// exit code the run ends with.
import type { Side } from '../transport/server-process.js';

export class RelayError extends Error {
  override readonly name = 'RelayError';

  constructor(
    message: string,
    readonly exitCode: number,
    readonly side?: Side,
  ) {
    super(message);
  }
}
