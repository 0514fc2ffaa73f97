// The warnings and errors of a run, as the live view, the JSON events and
// the log report them: what a server said in a warning or error message,
// a line it printed on its stderr, relaysync's own warning, or the failure
// that ended the run; each with the side it came from (none for relaysync
// itself) or, for a host that could not be reached, that host.
import type { Settlement } from '../broker/handshake.js';
import type { MessageKind } from '../broker/message-routing.js';
import { RelayError } from '../broker/relay-error.js';
import type { RunEvents } from '../broker/run-relay.js';
import type { Side } from '../transport/server-process.js';
import type { TransportError } from '../transport/transport-error.js';
import { displayText } from './display-name.js';

export interface Notice {
  readonly kind: 'warning' | 'error';
  readonly side: Side | undefined;
  /** The host a failure to connect is about, when there is no side yet. */
  readonly host?: string;
  /** One line or more, without the final newline, filtered for a terminal as rsync filters names. */
  readonly text: string;
}

/** The failure that ended a run. */
export function failureNotice(error: RelayError | TransportError): Notice {
  if (error instanceof RelayError) return { kind: 'error', side: error.side, text: error.message };
  return { kind: 'error', side: undefined, host: error.host, text: error.message };
}

/** Turns the run's messages into notices for whoever reports them. */
export class NoticeFeed implements Partial<RunEvents> {
  constructor(private readonly tell: (notice: Notice) => void) {}

  /** A server's warning or error message; info messages are not notices. */
  serverMessage(side: Side, level: MessageKind, text: Buffer): void {
    if (level === 'info') return;
    this.tell({ kind: level === 'warning' ? 'warning' : 'error', side, text: displayText(text).replace(/[\r\n]+$/, '') });
  }

  /**
   * A line on a server's stderr: rsync writes its messages there before the
   * protocol starts and after it breaks, and a remote shell its own. Most are
   * errors; the ones that call themselves warnings are warnings.
   */
  serverStderr(side: Side, line: string): void {
    this.tell({ kind: /^(rsync )?warning\b/i.test(line) ? 'warning' : 'error', side, text: line });
  }

  settled(s: Settlement): void {
    const seeds = seedNotice(s);
    if (seeds) this.tell(seeds);
  }
}

/** relaysync's own warning when one server ignored the checksum seed it was given. */
export function seedNotice(s: Settlement): Notice | undefined {
  if (s.seeds.dest === undefined || s.seeds.source === s.seeds.dest) return undefined;
  return {
    kind: 'warning',
    side: undefined,
    text:
      'the two servers use different checksum seeds (one ignored the seed it was given: a forced command with a fixed command line?); ' +
      'the transfer stays correct, but changed files are sent whole instead of by delta',
  };
}
