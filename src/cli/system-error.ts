// A system call's failure in the C library's words, as rsync prints it:
// rsync's users know "No such file or directory (2)", not Node's "ENOENT".
import { getSystemErrorMap } from 'node:util';

/** strerror()'s text for the error, capitalised as rsync prints it; Node's message when the errno is unknown. */
export function strerror(err: unknown): string {
  const { errno, message } = err as NodeJS.ErrnoException;
  const text = errno === undefined ? undefined : getSystemErrorMap().get(errno)?.[1];
  return text === undefined ? message : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** rsyserr's "Text (errno)". */
export function systemError(err: unknown): string {
  const { errno } = err as NodeJS.ErrnoException;
  return errno === undefined ? strerror(err) : `${strerror(err)} (${-errno})`;
}
