// The warnings and errors of a run, as the live view, the JSON events and
// the log report them: what a server said in a warning or error message,
// a line it printed on its stderr, or relaysync's own failure; each with
// the side it came from (none for relaysync itself).
import type { Settlement } from '../broker/handshake.js';
import type { MessageKind } from '../broker/message-routing.js';
import type { Side } from '../transport/server-process.js';
import { displayText } from './display-name.js';

export interface Notice {
  readonly kind: 'warning' | 'error';
  readonly side: Side | undefined;
  /** One line or more, without the final newline, filtered for a terminal as rsync filters names. */
  readonly text: string;
}

/** A server's message; info messages are not notices. */
export function messageNotice(side: Side, level: MessageKind, text: Buffer): Notice | undefined {
  if (level === 'info') return undefined;
  return { kind: level === 'warning' ? 'warning' : 'error', side, text: withoutNewline(displayText(text)) };
}

/**
 * A line on a server's stderr: rsync writes its messages there before the
 * protocol starts and after it breaks, and a remote shell its own. Most are
 * errors; the ones that call themselves warnings are warnings.
 */
export function stderrNotice(side: Side, line: string): Notice {
  return { kind: /^(rsync )?warning\b/i.test(line) ? 'warning' : 'error', side, text: line };
}

function withoutNewline(text: string): string {
  return text.replace(/[\r\n]+$/, '');
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
