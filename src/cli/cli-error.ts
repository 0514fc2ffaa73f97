// A command line relaysync cannot run: the message is ready to print as is,
// and the exit code is the one rsync uses for the same mistake.

/** rsync's RERR_SYNTAX: syntax or usage error. */
export const RERR_SYNTAX = 1;
/** rsync's RERR_PROTOCOL: it also covers a --protocol value out of range. */
export const RERR_PROTOCOL = 2;

export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = RERR_SYNTAX,
  ) {
    super(`relaysync: ${message}`);
  }
}
