// How messages name each side: the host as the user wrote it, and when both
// ends are on one host (or both local), which end it is too.
import type { Side, Transport } from '../transport/server-process.js';

export function sideLabels(transports: Readonly<{ source: Transport; dest?: Transport }>): Record<Side, string> {
  const { source, dest } = transports;
  if (!dest) return { source: source.label, dest: '' };
  if (source.label !== dest.label) return { source: source.label, dest: dest.label };
  return { source: `${source.label} (source)`, dest: `${dest.label} (destination)` };
}
