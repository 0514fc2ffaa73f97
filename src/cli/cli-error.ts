// A command line relaysync cannot run: the message is ready to print as is,
// and the exit code is the one rsync uses for the same mistake.
import { RERR } from '../protocol/constants.js';

export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = RERR.SYNTAX,
  ) {
    super(`relaysync: ${message}`);
  }
}
