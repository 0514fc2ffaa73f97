// Each server's command line, as rsync's server_options() writes it for a
// client in the opposite role: toward the source relaysync is a client
// receiver (`--server --sender ...`), toward the destination a client sender
// (`--server ...`). What each option contributes comes from the option table.
import {
  ARG_ORDER,
  CLUSTER_ORDER,
  OPTION_TABLE,
  type ArgSlot,
  type ServerContext,
  type ServerContribution,
} from '../cli/option-table.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import type { ServerCommand, Side } from '../transport/server-process.js';
import { capabilityLetters } from './protocol-offer.js';
import { remoteQuoting, secludeArgs } from './remote-quote.js';

export interface ServerCommandRequest {
  readonly options: RsyncOptions;
  readonly side: Side;
  /** That side's paths, as parseEndpoints() gives them. */
  readonly paths: readonly string[];
  /** The seed both servers share (trap 3): a random integer from 1 to 2^31-1, the same for both. */
  readonly checksumSeed: number;
  /** The rsync program on that host: serverProgram() of the relay settings. */
  readonly program: string;
  /** Capability letters still allowed, when a server is restarted with fewer; all by default. */
  readonly capabilities?: string;
  /** Which server reads a --files-from=HOST:FILE list itself: filesFromSide() of the endpoints. */
  readonly filesFromOn?: Side;
}

const CONTRIBUTIONS: readonly ServerContribution[] = OPTION_TABLE.flatMap((option) =>
  option.status === 'supported' && option.server !== undefined ? [option.server] : [],
);

export function buildServerCommand(request: ServerCommandRequest): ServerCommand {
  const { options, side, checksumSeed } = request;
  if (!Number.isInteger(checksumSeed) || checksumSeed < 1 || checksumSeed > 0x7fffffff) {
    throw new RangeError(`checksum seed must be an integer from 1 to 2147483647, not ${checksumSeed}`);
  }
  if (options.filesfromHost !== undefined && request.filesFromOn === undefined) {
    throw new Error('--files-from names a host: the request must say which side holds the list (filesFromSide)');
  }
  const context: ServerContext = { side, filesFromOn: request.filesFromOn };
  const mine = CONTRIBUTIONS.filter((c) => c.to === 'both' || c.to === side);

  const letters = mine
    .flatMap((c) => [...(c.letters?.(options, context) ?? '')])
    .sort((a, b) => clusterRank(a) - clusterRank(b))
    .join('');
  // The same capability letters go to both servers, whatever the side.
  const capabilities = capabilityLetters(options, request.capabilities);
  const cluster = letters + (capabilities === undefined ? '' : `e.${capabilities}`);

  const placed: { slot: ArgSlot; words: readonly string[] }[] = [
    ...mine.flatMap((c) => (c.args ? [{ slot: c.args.slot, words: c.args.of(options, context) }] : [])),
    { slot: 'checksum-seed', words: [`--checksum-seed=${checksumSeed}`] },
  ];
  placed.sort((a, b) => ARG_ORDER.indexOf(a.slot) - ARG_ORDER.indexOf(b.slot));

  const words = ['--server', ...(side === 'source' ? ['--sender'] : []), ...(cluster === '' ? [] : [`-${cluster}`]), ...placed.flatMap((p) => p.words)];
  const common = { program: request.program, side, relativePaths: options.relativePaths, quoting: remoteQuoting(options) };
  if (!options.protectArgs) return { ...common, options: words, paths: request.paths };
  const { visible, secluded } = secludeArgs(words, request.paths);
  return { ...common, options: visible, paths: [], secludedArgs: secluded };
}

function clusterRank(letter: string): number {
  const rank = CLUSTER_ORDER.indexOf(letter);
  if (rank < 0) throw new Error(`option table: '${letter}' has no place in rsync's short-option cluster`);
  return rank;
}
