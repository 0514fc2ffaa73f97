// How messages name each side: the host as the user wrote it, and when both
// ends are on one host (or both local), which end it is too.
import type { Side, Transport } from '../transport/server-process.js';

export function sideLabels(transports: Readonly<Record<Side, Transport>>): Record<Side, string> {
  const { source, dest } = transports;
  if (source.label !== dest.label) return { source: source.label, dest: dest.label };
  return { source: `${source.label} (source)`, dest: `${dest.label} (destination)` };
}
