// One relayed run from start to end: start both servers, settle the
// handshake, relay, and make sure that whatever happens neither server is
// left running.
import { readFileSync } from 'node:fs';
import { logFormatHas } from '../cli/info-levels.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import { clientRuleLists, ClientRulesError, type LocalRuleFiles } from '../plan/client-rules.js';
import { CF, RERR } from '../protocol/constants.js';
import { checksumLength, impliedChecksum } from '../protocol/negotiation.js';
import { encodeSecludedArgs } from '../protocol/secluded-args.js';
import { protocolTooOld } from '../plan/protocol-offer.js';
import type { ServerCommand, ServerProcess, Side, Transport } from '../transport/server-process.js';
import { endServer } from './end-server.js';
import { handshake, type HandshakeLink, type Settlement } from './handshake.js';
import { Relay, type RelayEvents, type RelayOutcome, type RelaySetup } from './relay.js';
import { RelayError } from './relay-error.js';
import type { StreamLayout } from './sender-stream.js';
import { sideLabels } from './side-labels.js';
import { StreamReader } from './stream-reader.js';

export interface RelayRequest {
  /** Both hosts for a relay; the source alone for a listing (--list-only, or no destination). */
  readonly transports: Readonly<{ source: Transport; dest?: Transport }>;
  /** Builds a server's command line with the given capability letters. */
  command(side: Side, letters: string): ServerCommand;
  /** Capability letters both servers are started with. */
  readonly letters: string;
  /** The highest protocol offered: relaysync's own, or lower with --protocol. */
  readonly offer: number;
  readonly seed: number;
  readonly options: RsyncOptions;
  /** Where the source's --files-from names come from, when relaysync carries them (see RelaySetup). */
  readonly filesFrom?: RelaySetup['filesFrom'];
}

export interface RunEvents extends RelayEvents {
  /** The handshake is settled; what both servers agreed on. */
  settled(settlement: Settlement): void;
  /** A line a server printed on its stderr. */
  serverStderr(side: Side, line: string): void;
}

const SIDES: readonly Side[] = ['source', 'dest'];

export async function runRelay(req: RelayRequest, events: RunEvents, interrupted: AbortSignal): Promise<RelayOutcome> {
  const servers: Partial<Record<Side, ServerProcess>> = {};
  const labels = sideLabels(req.transports);
  const sides = SIDES.filter((side) => req.transports[side]);
  const start = async (side: Side, letters: string): Promise<HandshakeLink> => {
    const command = req.command(side, letters);
    const server = await req.transports[side]!.start(command);
    servers[side] = server;
    if (command.secludedArgs) server.input.write(encodeSecludedArgs(command.secludedArgs));
    forwardStderr(server, side, events);
    return { label: labels[side], reader: new StreamReader(server.output), send: (bytes) => server.input.write(bytes) };
  };
  const restart = async (side: Side, letters: string): Promise<HandshakeLink> => {
    await stopAll({ [side]: servers[side] }, 'now');
    return start(side, letters);
  };

  const onInterrupt = (): void => void stopAll(servers, 'now');
  interrupted.addEventListener('abort', onInterrupt);
  try {
    const links = await startAll(sides, start, req.letters, servers);
    const settlement = await handshake(links, {
      offer: req.offer,
      seed: req.seed,
      letters: req.letters,
      checksumChoice: req.options.checksumChoice,
      compress: req.options.compress,
      compressChoice: req.options.compressChoice,
      tooOld: (protocol) => protocolTooOld(req.options, protocol),
      restart,
    });
    events.settled(settlement);
    const leftovers = { source: settlement.links.source?.reader.release(), dest: settlement.links.dest?.reader.release() };
    const relay = new Relay(
      { source: servers.source!, dest: servers.dest },
      {
        labels,
        protocol: settlement.protocol,
        layout: streamLayout(settlement, req.options),
        removeSourceFiles: req.options.removeSourceFiles > 0,
        rules: ruleLists(settlement, req.options, sides),
        bwlimit: req.options.bwlimit,
        ioTimeout: req.options.ioTimeout,
        filesFrom: req.filesFrom,
      },
      events,
    );
    interrupted.removeEventListener('abort', onInterrupt);
    const stop = (): void => relay.interrupt();
    interrupted.addEventListener('abort', stop);
    try {
      return await relay.run(leftovers);
    } finally {
      interrupted.removeEventListener('abort', stop);
    }
  } catch (err) {
    const exits = await stopAll(servers, interrupted.aborted ? 'now' : 'gently');
    throw explainStartFailure(err, labels, exits, interrupted.aborted);
  } finally {
    interrupted.removeEventListener('abort', onInterrupt);
  }
}

/** Starts the servers at once; if one fails to start, the others are stopped. */
async function startAll(
  sides: readonly Side[],
  start: (side: Side, letters: string) => Promise<HandshakeLink>,
  letters: string,
  servers: Partial<Record<Side, ServerProcess>>,
): Promise<Partial<Record<Side, HandshakeLink>>> {
  const results = await Promise.allSettled(sides.map((side) => start(side, letters)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll(servers, 'gently');
    throw failed.reason;
  }
  const links: Partial<Record<Side, HandshakeLink>> = {};
  sides.forEach((side, i) => (links[side] = (results[i] as PromiseFulfilledResult<HandshakeLink>).value));
  return links;
}

/** Ends every server started so far and waits (a bounded time) for each to exit. */
async function stopAll(servers: Partial<Record<Side, ServerProcess>>, how: 'gently' | 'now'): Promise<Partial<Record<Side, number | null>>> {
  const exits: Partial<Record<Side, number | null>> = {};
  await Promise.all(
    SIDES.map(async (side) => {
      const server = servers[side];
      if (server) exits[side] = (await endServer(server, how))?.code ?? null;
    }),
  );
  return exits;
}

function forwardStderr(server: ServerProcess, side: Side, events: RunEvents): void {
  let partial = '';
  server.errors.setEncoding('utf8');
  server.errors.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) events.serverStderr(side, line);
  });
  server.errors.on('end', () => {
    if (partial) events.serverStderr(side, partial);
    partial = '';
  });
}

/** Turns a failure before the relay started into a message that says what to do. */
function explainStartFailure(err: unknown, labels: Partial<Record<Side, string>>, exits: Partial<Record<Side, number | null>>, interrupted: boolean): RelayError {
  if (interrupted) return new RelayError('interrupted before the transfer started', RERR.SIGNAL);
  const missing = SIDES.find((side) => exits[side] === RERR.CMD_NOTFOUND);
  if (missing) {
    return new RelayError(
      `rsync was not found on ${labels[missing]} (its shell answered "command not found"): install rsync there, or give its path with --${missing}-rsync-path=PATH or --rsync-path=PATH`,
      RERR.CMD_NOTFOUND,
      missing,
    );
  }
  if (err instanceof RelayError) {
    const side = err.side;
    const code = side ? exits[side] : undefined;
    if (side && typeof code === 'number' && code !== 0 && err.exitCode === RERR.STREAMIO) {
      return new RelayError(`${err.message} (its rsync exited with code ${code}; see its messages above)`, code, side);
    }
    return err;
  }
  return new RelayError((err as Error).message, RERR.STARTCLIENT);
}

function streamLayout(s: Settlement, o: RsyncOptions): StreamLayout {
  const p = s.protocol;
  return {
    protocol: p,
    varintFlags: (s.compatFlags & CF.VARINT_FLIST_FLAGS) !== 0,
    safeFlist: (s.compatFlags & CF.SAFE_FLIST) !== 0 || p >= 31,
    preserveUid: o.preserveUid,
    preserveGid: o.preserveGid,
    preserveLinks: o.preserveLinks,
    preserveDevices: o.preserveDevices,
    preserveSpecials: o.preserveSpecials,
    preserveHardLinks: o.preserveHardLinks > 0,
    preserveAtimes: o.preserveAtimes > 0,
    preserveCrtimes: o.preserveCrtimes,
    relativePaths: o.relativePaths,
    checksumLength: o.alwaysChecksum ? checksumLength(s.fileChecksum) : 0,
    preserveAcls: o.preserveAcls,
    preserveXattrs: o.preserveXattrs > 0,
    // Xattr values stand in for by the protocol's implied checksum, never a negotiated one.
    xattrChecksumLength: checksumLength(impliedChecksum(p)),
    missingArgsDeleted: o.missingArgs === 2,
    incRecurse: (s.compatFlags & CF.INC_RECURSE) !== 0,
    doXfers: !o.dryRun,
    compressed: s.compression !== undefined && s.compression !== 'none',
    transferChecksumLength: checksumLength(s.checksum),
    uidList: (o.preserveUid || o.preserveAcls) && !o.numericIds,
    gidList: (o.preserveGid || o.preserveAcls) && !o.numericIds,
    id0Names: (s.compatFlags & CF.ID0_NAMES) !== 0,
    xattrOptimization: p >= 31 && (s.compatFlags & CF.AVOID_XATTR_OPTIM) === 0,
    appendMode: o.appendMode > 0,
    // Each server sorts names in its own charset: indexes follow the order sent (rsync's need_unsorted_flist).
    unsortedIndexes: o.iconv !== undefined,
    // As rsync's sender keeps them (sender_keeps_checksum), for %C.
    keepChecksums: o.alwaysChecksum && (logFormatHas(o.stdoutFormat, 'C') || logFormatHas(o.logfileFormat, 'C')),
  };
}

/** Rule files named on the command line are read on this machine, as rsync's client reads them. */
const LOCAL_RULE_FILES: LocalRuleFiles = { read: (name) => readFileSync(name), readStdin: () => readFileSync(0), env: process.env };

function ruleLists(s: Settlement, o: RsyncOptions, sides: readonly Side[]): Record<Side, Buffer | undefined> {
  try {
    return clientRuleLists({ options: o, protocol: s.protocol, hasDest: sides.includes('dest'), files: LOCAL_RULE_FILES });
  } catch (err) {
    if (err instanceof ClientRulesError) throw new RelayError(err.message, err.exitCode);
    throw err;
  }
}
