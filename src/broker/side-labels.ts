// How messages name each side: the host as the user wrote it, and when both
// ends are on one host (or both local), which end it is too.
import { SIDE_NAMES, type Side, type Transport } from '../transport/server-process.js';

/** A host and which end of the relay it is, for messages that must say both: `web04 (source)`. */
export function hostAndSide(host: string, side: Side): string {
  return `${host} (${SIDE_NAMES[side]})`;
}

export function sideLabels(transports: Readonly<{ source: Transport; dest?: Transport }>): Record<Side, string> {
  const { source, dest } = transports;
  if (!dest) return { source: source.label, dest: '' };
  if (source.label !== dest.label) return { source: source.label, dest: dest.label };
  return { source: hostAndSide(source.label, 'source'), dest: hostAndSide(dest.label, 'dest') };
}
