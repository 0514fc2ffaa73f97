// What relaysync offers both servers before the protocol starts: a protocol
// version and, from protocol 30, capability letters after `-e.` on their
// command lines. Both servers must end with the same compat flags, so both
// get the same letters (design brief, trap 2).
import type { RsyncOptions } from '../cli/rsync-options.js';
import { CAPABILITY_LETTERS, PROTOCOL_MAX } from '../protocol/constants.js';

/** The highest protocol version relaysync offers: --protocol lowers it. */
export function offeredProtocol(options: RsyncOptions): number {
  return options.protocol ?? PROTOCOL_MAX;
}

/**
 * Whether incremental recursion may be offered, decided as rsync decides it
 * for a *receiving* client (compat.c set_allow_inc_recurse). A sending
 * client ignores the receiver-only conditions, but the server receiver
 * applies them to itself, so offering `i` to both servers under the sender
 * rule would leave them with different compat flags. (rsync's --qsort turns
 * it off too; relaysync refuses --qsort.)
 */
export function allowIncRecurse(options: RsyncOptions): boolean {
  if (!options.recurse || !options.allowIncRecurse) return false;
  return !(options.deleteBefore || options.deleteAfter || options.delayUpdates || options.pruneEmptyDirs);
}

/**
 * The capability letters for both servers, or undefined below protocol 30
 * where rsync sends none. `allowed` restricts them, for a server restarted
 * with fewer letters; the order stays rsync's.
 */
export function capabilityLetters(options: RsyncOptions, allowed?: string): string | undefined {
  if (offeredProtocol(options) < 30) return undefined;
  let letters = '';
  for (const letter of CAPABILITY_LETTERS) {
    if (letter === 'i' && !allowIncRecurse(options)) continue;
    if (allowed !== undefined && !allowed.includes(letter)) continue;
    letters += letter;
  }
  return letters;
}

/**
 * The message rsync's client gives when an option needs a newer protocol
 * than the one negotiated (compat.c setup_protocol), or undefined. relaysync
 * is the client, so it says so itself, as rsync would.
 */
export function protocolTooOld(options: RsyncOptions, protocol: number): string | undefined {
  const negotiated = ` (negotiated ${protocol}).`;
  if (protocol < 30) {
    if (options.preserveAcls) return `--acls requires protocol 30 or higher${negotiated}`;
    if (options.preserveXattrs) return `--xattrs requires protocol 30 or higher${negotiated}`;
  }
  if (protocol >= 29) return undefined;
  // rsync's own sender and receiver then disagree on the file list: its flag needs the two flag bytes protocol 28 brought.
  if (protocol < 28 && options.preserveAtimes > 0) return `--atimes requires protocol 28 or higher${negotiated}`;
  const altDest = `--${options.altDestType ?? 'link-dest'}`;
  if (options.fuzzyBasis) return `--fuzzy requires protocol 29 or higher${negotiated}`;
  if (options.basisDirs.length > 0 && options.inplace) return `${altDest} with --inplace requires protocol 29 or higher${negotiated}`;
  if (options.basisDirs.length > 1) return `Using more than one ${altDest} option requires protocol 29 or higher${negotiated}`;
  if (options.pruneEmptyDirs) return `--prune-empty-dirs requires protocol 29 or higher${negotiated}`;
  return undefined;
}
