// Relays one run between the two servers once the handshake is done: the
// source's data to the destination (followed, not rewritten, by the
// SenderStream) and the destination's generator requests to the source,
// each server's messages through message-routing, with backpressure in both
// directions: when one server's input is full, the broker stops reading the
// other server's output until it drains.
import { MSG, RERR } from '../protocol/constants.js';
import { ProtocolError } from '../protocol/errors.js';
import { FilesFromEncoder, FilesFromList } from '../protocol/files-from.js';
import { Demuxer } from '../protocol/mux.js';
import { Writable, type Readable } from 'node:stream';
import type { FileEntry } from '../protocol/flist-decoder.js';
import type { ExitStatus, ServerProcess, Side } from '../transport/server-process.js';
import { ListingGenerator } from './listing-generator.js';
import { routeMessage, type MessageKind } from './message-routing.js';
import { endServer } from './end-server.js';
import { RelayError } from './relay-error.js';
import { GeneratorStream, type GeneratorStreamEvents } from './generator-stream.js';
import { SenderStream, type SenderStreamEvents, type StreamLayout } from './sender-stream.js';
import { ServerInput } from './server-input.js';
import { StandInSender } from './stand-in-sender.js';
import { within } from './within.js';
import { RateLimiter } from './bandwidth.js';

export interface RelaySetup {
  /** How messages name each side. */
  readonly labels: Readonly<Record<Side, string>>;
  readonly protocol: number;
  /** --bwlimit in bytes per second, 0 for none: the rate the source's data is relayed at most. */
  readonly bwlimit: number;
  /** --timeout in seconds, 0 for none: a server silent that long is taken for dead. */
  readonly ioTimeout: number;
  /**
   * Where the source reads its --files-from names from: a list relaysync
   * reads locally and sends, or the destination's own, which it sends
   * through the broker; undefined without --files-from or when the source
   * reads its own list.
   */
  readonly filesFrom: { readonly local: Readable; readonly from0: boolean } | 'dest' | undefined;
  readonly layout: StreamLayout;
  /** --remove-source-files: the source then hears which files arrived, in messages even before protocol 30. */
  readonly removeSourceFiles: boolean;
  /** The filter rules each server reads first; undefined when it reads none. */
  readonly rules: Readonly<Record<Side, Buffer | undefined>>;
  /** Told every multiplexed frame relaysync reads or writes (its header only), for a protocol trace. */
  readonly frames?: FrameTrace;
}

/** A frame's side, direction (in: from that server), message tag and length. */
export type FrameTrace = (side: Side, direction: 'in' | 'out', tag: number, length: number) => void;

export interface RelayEvents extends SenderStreamEvents, GeneratorStreamEvents {
  /** A log line from a server. */
  serverMessage(side: Side, level: MessageKind, text: Buffer): void;
  /** The destination deleted a file (reported with -v). */
  deleted(name: Buffer, isDirectory: boolean): void;
  /** Listing without a destination: an entry to show, in rsync's order. */
  listed(entry: FileEntry): void;
}

/** The servers of a run: both for a relay, the source alone for a listing. */
export interface RunServers {
  readonly source: ServerProcess;
  readonly dest?: ServerProcess;
}

export interface RelayOutcome {
  readonly exitCode: number;
  /** Bytes of file lists relayed, for --stats. */
  readonly fileListBytes: number;
  /** Why the run failed, when the broker itself saw the failure. */
  readonly error: RelayError | undefined;
  readonly exits: Readonly<Partial<Record<Side, ExitStatus>>>;
  /**
   * Bytes relaysync wrote to and read from each server after the handshake,
   * up to the sender's statistics when the run got that far (where rsync's
   * client takes its totals): toward the destination, what a client sender counts.
   */
  readonly traffic: Readonly<Record<Side, Traffic>>;
}

export interface Traffic {
  readonly written: number;
  readonly read: number;
}

/** How long a server gets to exit on its own after the run is over for it. */
const EXIT_GRACE_MS = 10_000;

const OTHER: Readonly<Record<Side, Side>> = { source: 'dest', dest: 'source' };

export class Relay {
  private readonly inputs: Record<Side, ServerInput>;
  private readonly sender: SenderStream;
  /** The destination's requests to the source, followed for the output's order (none when listing). */
  private readonly generator: GeneratorStream | undefined;
  private readonly bytesRead: Record<Side, number> = { source: 0, dest: 0 };
  private trafficAtStats: Record<Side, Traffic> | undefined;
  private readonly sides: readonly Side[];
  private standIn: StandInSender | undefined;
  private failure: RelayError | undefined;
  private readonly exits: Partial<Record<Side, ExitStatus>> = {};
  private interrupted = false;
  private errorExitSeen = false;
  /** The run is over for the broker: outputs are read and dropped so no server blocks writing. */
  private draining = false;
  /** Whether the writes queued in this turn of the event loop are already due to go out at its end. */
  private flushDue = false;
  /** Why the broker stopped reading a server's output; it reads again when no reason is left. */
  private readonly holds: Record<Side, Set<'backpressure' | 'bwlimit'>> = { source: new Set(), dest: new Set() };
  private readonly limiter: RateLimiter | undefined;
  /** When each server last sent anything, for --timeout. */
  private readonly lastHeard: Record<Side, number> = { source: Date.now(), dest: Date.now() };

  constructor(
    private readonly servers: RunServers,
    private readonly setup: RelaySetup,
    private readonly events: RelayEvents,
  ) {
    const multiplexed = setup.protocol >= 30;
    this.sides = servers.dest ? ['source', 'dest'] : ['source'];
    const traced = (side: Side) => setup.frames && ((tag: number, length: number) => setup.frames!(side, 'out', tag, length));
    this.inputs = {
      source: new ServerInput(servers.source.input, multiplexed || setup.removeSourceFiles, traced('source')),
      dest: new ServerInput(servers.dest?.input ?? discard(), multiplexed, traced('dest')),
    };
    this.sender = new SenderStream(setup.layout, servers.dest ? events : this.listing(events));
    // From protocol 31 a destination that reads the --files-from list sends it first in its data.
    const namesFirst = setup.filesFrom === 'dest' && setup.protocol >= 31;
    this.generator = servers.dest ? new GeneratorStream(setup.layout, this.sender.lists, events, namesFirst) : undefined;
    if (setup.bwlimit > 0) this.limiter = new RateLimiter(setup.bwlimit);
  }

  /** Without a destination the broker answers the source as a listing client's generator. */
  private listing(events: RelayEvents): SenderStreamEvents {
    const generator = new ListingGenerator(this.setup.protocol, this.setup.layout.incRecurse, (bytes) => this.inputs.source.data([bytes]), (entry) => events.listed(entry));
    return {
      item: (ndx, iflags, entry, xname) => events.item(ndx, iflags, entry, xname),
      progress: (ndx, literal, matched) => events.progress(ndx, literal, matched),
      transferred: (ndx, entry, literal, matched, sent) => events.transferred(ndx, entry, literal, matched, sent),
      ndxDone: () => events.ndxDone(),
      deleteStats: (stats) => events.deleteStats(stats),
      senderStats: (stats) => events.senderStats(stats),
      fileList: (list, ioError, bytes) => {
        generator.listReceived(list);
        events.fileList(list, ioError, bytes);
      },
      listsComplete: () => {
        generator.allListsReceived();
        events.listsComplete();
      },
    };
  }

  /** Runs to the end; leftovers are the bytes each server sent after its handshake. */
  async run(leftovers: Readonly<Partial<Record<Side, readonly Buffer[]>>>): Promise<RelayOutcome> {
    for (const side of this.sides) {
      const rules = this.setup.rules[side];
      if (rules) this.inputs[side].data([rules]);
      this.inputs[side].flush();
    }
    const watchdog = this.setup.ioTimeout > 0 ? setInterval(() => this.checkTimeout(), 1000) : undefined;
    const filesFrom = this.setup.filesFrom;
    if (filesFrom && filesFrom !== 'dest') this.sendFilesFrom(filesFrom.local, filesFrom.from0);
    await Promise.all(this.sides.map((side) => this.watch(side, leftovers[side] ?? [])));
    clearInterval(watchdog);
    const traffic = this.trafficAtStats ?? this.traffic();
    return { exitCode: this.exitCode(), fileListBytes: this.sender.fileListBytes, error: this.failure, exits: this.exits, traffic };
  }

  private traffic(): Record<Side, Traffic> {
    const of = (side: Side): Traffic => ({ written: this.inputs[side].written, read: this.bytesRead[side] });
    return { source: of('source'), dest: of('dest') };
  }

  /**
   * Feeds a local --files-from list to the source, NUL-ended, with the
   * source's input as the pace. Before protocol 31 the names go outside the
   * multiplexed frames, as rsync's client sends them.
   */
  private sendFilesFrom(list: Readable, from0: boolean): void {
    const encoder = new FilesFromEncoder(from0);
    const input = this.inputs.source;
    const send = (bytes: Buffer): void => (this.setup.protocol >= 31 ? input.data([bytes]) : input.raw(bytes));
    list.on('data', (chunk: Buffer) => {
      if (this.draining) return;
      send(encoder.push(chunk));
      if (!input.flush()) {
        list.pause();
        input.onDrain(() => list.resume());
      }
    });
    list.once('end', () => {
      send(encoder.end());
      input.flush();
    });
    list.once('error', (err) => this.fail(new RelayError(`cannot read the --files-from list: ${err.message}`, RERR.FILEIO)));
  }

  /** Ctrl-C or SIGTERM: stop both servers now. */
  interrupt(): void {
    this.interrupted = true;
    this.shutDown();
  }

  /**
   * Stops both servers and keeps reading what they still write, so that one
   * blocked on a full output notices its input has ended and exits.
   */
  private shutDown(): void {
    if (this.draining) return;
    this.draining = true;
    for (const side of this.sides) {
      const server = this.servers[side]!;
      server.output.resume();
      void endServer(server, this.interrupted ? 'now' : 'gently');
    }
  }

  private watch(side: Side, leftover: readonly Buffer[]): Promise<void> {
    const server = this.servers[side]!;
    const frames = this.setup.frames;
    const demuxer = new Demuxer({
      data: (piece) => this.onData(side, piece),
      message: (tag, payload) => this.onMessage(side, tag, payload),
      ...(frames && { frame: (tag: number, length: number) => frames(side, 'in', tag, length) }),
    });
    // Before protocol 31 a destination that reads the --files-from list sends
    // the names unframed ahead of its multiplexed output; they go on to the source.
    const namesFromDest = side === 'dest' && this.setup.filesFrom === 'dest' && this.setup.protocol < 31 ? new FilesFromList() : undefined;
    const take = (chunk: Buffer): void => {
      if (this.draining) return;
      this.lastHeard[side] = Date.now();
      this.bytesRead[side] += chunk.length;
      try {
        if (namesFromDest && !namesFromDest.ended) {
          const { names, rest } = namesFromDest.split(chunk);
          this.inputs.source.raw(names);
          demuxer.push(rest);
        } else {
          demuxer.push(chunk);
        }
      } catch (err) {
        this.fail(this.asRelayError(side, err));
      }
      this.flushAtEndOfTurn();
      const wait = side === 'source' ? (this.limiter?.took(chunk.length) ?? 0) : 0;
      if (wait > 0) {
        this.hold(side, 'bwlimit');
        setTimeout(() => this.release(side, 'bwlimit'), wait);
      }
    };
    for (const chunk of leftover) take(chunk);
    server.output.on('data', take);
    const ended = server.output.readableEnded
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          server.output.once('end', resolve);
          server.output.once('close', resolve);
        });
    return (async () => {
      await ended;
      this.outputEnded(side, demuxer.atFrameBoundary);
      const status = await this.exitWithin(side);
      this.exits[side] = status;
      // Nothing drains the input of a server that has exited (its connection may be lost):
      // what is still meant for it is dropped, and the server feeding it is read again.
      this.inputs[side].abandon();
      if (this.servers[OTHER[side]]) this.release(OTHER[side], 'backpressure');
      if (status.code !== 0) this.closeInput(OTHER[side]);
    })();
  }

  private onData(side: Side, piece: Buffer): void {
    if (side === 'source') {
      this.inputs.dest.data(this.sender.push(piece));
      if (!this.trafficAtStats && this.sender.statsSent) this.trafficAtStats = this.traffic();
      if (this.sender.firstListEmpty && !this.standIn) {
        this.standIn = new StandInSender(this.setup.protocol, this.setup.layout.incRecurse, (bytes) => this.inputs.dest.data([bytes]));
      }
    } else if (this.standIn) {
      this.standIn.push(piece);
      if (this.standIn.finished) this.closeInput('dest');
    } else {
      this.generator?.push(piece);
      this.inputs.source.data([piece]);
    }
  }

  private onMessage(side: Side, tag: number, payload: Buffer): void {
    const action = routeMessage(side, tag, payload);
    const other = OTHER[side];
    switch (action.kind) {
      case 'print':
        this.events.serverMessage(side, action.level, action.text);
        break;
      case 'forward':
        this.inputs[other].message(action.tag, action.payload);
        break;
      case 'deleted':
        this.events.deleted(action.name, action.isDirectory);
        break;
      case 'error-exit':
        this.errorExit(side, action.code);
        break;
      case 'io-error':
      case 'error-exit-ack':
      case 'ignore':
        break;
    }
  }

  /**
   * A protocol-31 server ends the run with an error: answer it as its client
   * would (the receiving client echoes the code, the sending client
   * acknowledges), and pass the error exit to the other server so that it
   * stops too instead of waiting for data that will not come.
   */
  private errorExit(side: Side, code: number): void {
    this.inputs[side].message(MSG.ERROR_EXIT, side === 'source' ? int32(code) : Buffer.alloc(0));
    if (!this.errorExitSeen) {
      this.errorExitSeen = true;
      this.inputs[OTHER[side]].message(MSG.ERROR_EXIT, int32(code));
    }
  }

  /**
   * One socket read brings several SSH packets, each read here on its own:
   * what they make for a server goes out as one write once the read is
   * handled, so the SSH layer packs it into full packets (a write per input
   * chunk ends most packets with a few bytes that make a packet of their own).
   */
  private flushAtEndOfTurn(): void {
    if (this.flushDue) return;
    this.flushDue = true;
    process.nextTick(() => {
      this.flushDue = false;
      this.flushTo('dest');
      this.flushTo('source');
    });
  }

  /** Writes what is queued for a server; if it is not keeping up, stops reading the server that feeds it. */
  private flushTo(side: Side): void {
    const input = this.inputs[side];
    if (input.flush()) return;
    const producer = OTHER[side];
    if (!this.servers[producer] || this.holds[producer].has('backpressure')) return;
    this.hold(producer, 'backpressure');
    input.onDrain(() => this.release(producer, 'backpressure'));
  }

  private hold(side: Side, reason: 'backpressure' | 'bwlimit'): void {
    if (this.draining) return;
    this.holds[side].add(reason);
    this.servers[side]!.output.pause();
  }

  private release(side: Side, reason: 'backpressure' | 'bwlimit'): void {
    this.holds[side].delete(reason);
    if (this.holds[side].size === 0 && !this.draining) {
      this.lastHeard[side] = Date.now();
      this.servers[side]!.output.resume();
    }
  }

  /** --timeout: a server the broker is reading from that has said nothing for that long is gone. */
  private checkTimeout(): void {
    if (this.draining) return;
    for (const side of this.sides) {
      if (this.holds[side].size > 0 || this.exits[side]) continue;
      const silent = (Date.now() - this.lastHeard[side]) / 1000;
      if (silent > this.setup.ioTimeout) {
        this.fail(new RelayError(`no data from ${this.setup.labels[side]} for ${Math.floor(silent)} seconds (--timeout=${this.setup.ioTimeout})`, RERR.TIMEOUT, side));
      }
    }
  }

  private outputEnded(side: Side, atBoundary: boolean): void {
    if (this.failure || this.interrupted) return;
    // A server cut off after the other one failed or went away is not the cause: that one has said why.
    const other = this.exits[OTHER[side]];
    if (other !== undefined && other.code !== 0) return;
    const label = this.setup.labels[side];
    // A source that stops early is to blame, unless an error exit or a destination that exited first ended its stream.
    if (!atBoundary) {
      this.fail(new RelayError(`${label} closed the connection in the middle of a message`, RERR.STREAMIO, side));
    } else if (side === 'source' && !this.sender.finished && !this.sender.firstListEmpty && !this.errorExitSeen && !this.exits.dest) {
      this.fail(new RelayError(`${label} closed the connection during ${this.sender.where}`, RERR.STREAMIO, side));
    }
  }

  /** Waits for a server to exit: one that lingers is stopped, and then ended. */
  private async exitWithin(side: Side): Promise<ExitStatus> {
    const server = this.servers[side]!;
    const status = await within(server.exited, EXIT_GRACE_MS);
    if (status) return status;
    server.stop();
    const stopped = await within(server.exited, EXIT_GRACE_MS);
    if (stopped) return stopped;
    server.kill();
    return server.exited;
  }

  private closeInput(side: Side): void {
    this.inputs[side].end();
  }

  private fail(error: RelayError): void {
    if (this.failure) return;
    this.failure = error;
    this.shutDown();
  }

  private asRelayError(side: Side, err: unknown): RelayError {
    if (err instanceof RelayError) return err;
    const label = this.setup.labels[side];
    if (err instanceof ProtocolError) {
      return new RelayError(`${label} sent data relaysync cannot follow: ${err.message}`, RERR.STREAMIO, side);
    }
    return new RelayError(`while relaying from ${label}: ${(err as Error).message}`, RERR.STREAMIO, side);
  }

  /**
   * The run's exit code as plain rsync's sending client gives it: the
   * broker's own failure; else the sender's (the source's) failure, which
   * includes the broken stream a failed destination leaves it with; else
   * the destination's exit status.
   */
  private exitCode(): number {
    if (this.failure) return this.failure.exitCode;
    if (this.interrupted) return RERR.SIGNAL;
    for (const side of this.sides) {
      const code = this.exits[side]!.code;
      if (code === null) return RERR.STREAMIO;
      if (code !== 0) return code;
    }
    return RERR.OK;
  }
}

/** Where the source's data goes when there is no destination. */
function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function int32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(value, 0);
  return b;
}
