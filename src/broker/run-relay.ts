// One relayed run from start to end: start both servers, settle the
// handshake, relay, and make sure that whatever happens neither server is
// left running.
import { logFormatHas } from '../cli/info-levels.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import { clientRuleLists, ClientRulesError, type LocalRuleFiles } from '../plan/client-rules.js';
import { CF } from '../protocol/constants.js';
import { checksumLength, impliedChecksum } from '../protocol/negotiation.js';
import { encodeSecludedArgs } from '../protocol/secluded-args.js';
import { protocolTooOld } from '../plan/protocol-offer.js';
import { renderRemoteCommand } from '../plan/remote-quote.js';
import type { ServerCommand, ServerProcess, Side, Transport } from '../transport/server-process.js';
import { endServer } from './end-server.js';
import { handshake, type HandshakeLink, type Settlement } from './handshake.js';
import { Relay, type FrameTrace, type RelayEvents, type RelayOutcome, type RelaySetup } from './relay.js';
import { RelayError } from './relay-error.js';
import { isCompressed } from './run-stats.js';
import type { StreamLayout } from './sender-stream.js';
import { hostAndSide, sideLabels } from './side-labels.js';
import { explainStartFailure, interruptedBeforeStart, QUOTED_STDERR_LINES, type StartedServer } from './start-failure.js';
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
  /** The rule files named on the command line, read on this machine as rsync's client reads them. */
  readonly ruleFiles: LocalRuleFiles;
  /** Where the source's --files-from names come from, when relaysync carries them (see RelaySetup). */
  readonly filesFrom?: RelaySetup['filesFrom'];
  /** A protocol trace: every multiplexed frame (see RelaySetup). */
  readonly frames?: FrameTrace;
}

export interface RunEvents extends RelayEvents {
  /** A server is being started with this command. */
  serverStarting(side: Side, command: ServerCommand): void;
  /** The handshake is settled; what both servers agreed on. */
  settled(settlement: Settlement): void;
  /** A line a server printed on its stderr. */
  serverStderr(side: Side, line: string): void;
}

const SIDES: readonly Side[] = ['source', 'dest'];

export async function runRelay(req: RelayRequest, events: RunEvents, interrupted: AbortSignal): Promise<RelayOutcome> {
  const servers: Partial<Record<Side, ServerProcess>> = {};
  /** What each server was sent and said, for a start that fails. */
  const starts: Partial<Record<Side, Start>> = {};
  const labels = sideLabels(req.transports);
  const sides = SIDES.filter((side) => req.transports[side]);
  const start = async (side: Side, letters: string): Promise<HandshakeLink> => {
    const command = req.command(side, letters);
    events.serverStarting(side, command);
    const transport = req.transports[side]!;
    const server = await transport.start(command);
    servers[side] = server;
    if (command.secludedArgs) server.input.write(encodeSecludedArgs(command.secludedArgs));
    const reader = new StreamReader(server.output);
    const stderr: string[] = [];
    starts[side] = { transport, command, reader, stderr };
    forwardStderr(server, side, events, stderr);
    return { label: hostAndSide(transport.label, side), reader, send: (bytes) => server.input.write(bytes) };
  };
  const restart = async (side: Side, letters: string): Promise<HandshakeLink> => {
    await stopAll({ [side]: servers[side] }, 'now');
    return start(side, letters);
  };

  // Ctrl-C while the hosts were being reached: nothing is started.
  if (interrupted.aborted) throw interruptedBeforeStart();
  let settled = false;
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
    settled = true;
    const leftovers = { source: settlement.links.source?.reader.release(), dest: settlement.links.dest?.reader.release() };
    const relay = new Relay(
      { source: servers.source!, dest: servers.dest },
      {
        labels,
        protocol: settlement.protocol,
        layout: streamLayout(settlement, req.options),
        removeSourceFiles: req.options.removeSourceFiles > 0,
        rules: ruleLists(settlement, req, sides),
        bwlimit: req.options.bwlimit,
        ioTimeout: req.options.ioTimeout,
        filesFrom: req.filesFrom,
        frames: req.frames,
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
    throw explainStartFailure(err, startedServers(starts, exits), { interrupted: interrupted.aborted, settled });
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

/** Passes a server's stderr on line by line, keeping its first lines in `kept` for a failed start's message. */
function forwardStderr(server: ServerProcess, side: Side, events: RunEvents, kept: string[]): void {
  let partial = '';
  const line = (text: string): void => {
    if (kept.length <= QUOTED_STDERR_LINES) kept.push(text);
    events.serverStderr(side, text);
  };
  server.errors.setEncoding('utf8');
  server.errors.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const l of lines) line(l);
  });
  server.errors.on('end', () => {
    if (partial) line(partial);
    partial = '';
  });
}

/** A server as it was started, with what it has said since. */
interface Start {
  readonly transport: Transport;
  readonly command: ServerCommand;
  readonly reader: StreamReader;
  readonly stderr: string[];
}

function startedServers(starts: Partial<Record<Side, Start>>, exits: Partial<Record<Side, number | null>>): Partial<Record<Side, StartedServer>> {
  const started: Partial<Record<Side, StartedServer>> = {};
  for (const side of SIDES) {
    const s = starts[side];
    if (s) started[side] = { ...s, sent: renderRemoteCommand(s.command), received: s.reader.receivedSoFar, exitCode: exits[side] };
  }
  return started;
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
    compressed: isCompressed(s),
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

function ruleLists(s: Settlement, req: RelayRequest, sides: readonly Side[]): Record<Side, Buffer | undefined> {
  try {
    return clientRuleLists({ options: req.options, protocol: s.protocol, hasDest: sides.includes('dest'), files: req.ruleFiles });
  } catch (err) {
    if (err instanceof ClientRulesError) throw new RelayError(err.message, err.exitCode);
    throw err;
  }
}
