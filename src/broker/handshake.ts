// The broker's half of the handshake with both servers (compat.c
// setup_protocol). Each server speaks first and then waits for its client,
// so the broker reads both before it answers either: one protocol version,
// one set of compat flags, one checksum and one compression for both, and
// the checksum seed both were given on their command lines.
import { CAPABILITY_FLAGS, CF, PROTOCOL_MAX, PROTOCOL_MIN, PROTOCOL_SANE_MAX, PROTOCOL_SANE_MIN, RERR, rsyncReleasesOf } from '../protocol/constants.js';
import { encodeInt, encodeVstring, readVarint, readVstring } from '../protocol/ints.js';
import { chooseCommon, impliedChecksum, isKnownChecksum, KNOWN_COMPRESSIONS, parseNameList } from '../protocol/negotiation.js';
import type { Side } from '../transport/server-process.js';
import { RelayError } from './relay-error.js';
import { StreamClosed, type StreamReader } from './stream-reader.js';

/** One server as the handshake sees it. */
export interface HandshakeLink {
  readonly label: string;
  readonly reader: StreamReader;
  send(bytes: Buffer): void;
}

export interface HandshakeRequest {
  /** The highest protocol relaysync offers: its own, or lower with --protocol. */
  readonly offer: number;
  readonly seed: number;
  /** Capability letters both servers were started with. */
  readonly letters: string;
  /**
   * Names given with --checksum-choice (TRANSFER[,FILE-LIST], "auto" for the
   * protocol's own) / --compress-choice: then the servers negotiate nothing.
   */
  readonly checksumChoice: string | undefined;
  readonly compress: boolean;
  readonly compressChoice: string | undefined;
  /** Why the options cannot run at a protocol (rsync's client's message), or undefined. */
  tooOld(protocol: number): string | undefined;
  /** Starts a server again with fewer capability letters, when it and the other one disagree. */
  restart(side: Side, letters: string): Promise<HandshakeLink>;
}

/** What both servers agreed on. */
export interface Settlement {
  readonly protocol: number;
  /** The compat bits both servers share (those that come from capability letters). */
  readonly compatFlags: number;
  /** Each server's own compat flags, with the bits it sets from what it can do (e.g. symlink times). */
  readonly compat: Readonly<Record<Side, number>>;
  /** The checksum of block and whole-file sums. */
  readonly checksum: string;
  /** The checksum -c sends in the file list (different only with --checksum-choice=A,B). */
  readonly fileChecksum: string;
  readonly compression: string | undefined;
  /**
   * The seed each server uses. They differ only when a server ignored the one
   * it was given (a forced command with a fixed command line): from protocol
   * 30 the transfer stays correct, but no block can match, so changed files
   * go whole.
   */
  readonly seeds: Readonly<Partial<Record<Side, number>>>;
  readonly links: Readonly<Partial<Record<Side, HandshakeLink>>>;
  /** What each server offered, for messages and logs. */
  readonly versions: Readonly<Record<Side, number>>;
}

const SIDES: readonly Side[] = ['source', 'dest'];
/** rsync reads a negotiation list into a 256-byte buffer. */
const MAX_NAME_LIST = 255;

async function readFrom<T>(link: HandshakeLink, side: Side, what: string, parse: Parameters<StreamReader['read']>[0]): Promise<T> {
  try {
    return (await link.reader.read(parse)) as T;
  } catch (err) {
    if (err instanceof StreamClosed) {
      throw new RelayError(`${link.label} closed the connection during the handshake, while relaysync waited for ${what}`, RERR.STREAMIO, side);
    }
    if (err instanceof RelayError) throw err;
    throw new RelayError(`${link.label} sent a bad ${what}: ${(err as Error).message}`, RERR.PROTOCOL, side);
  }
}

/**
 * A server that sent no protocol version: text came first (a login script or
 * a forced command printed it), or its output ended before four bytes. The
 * run tells which once it knows how the server exited (start-failure.ts).
 */
export class NoGreeting extends RelayError {
  constructor(
    label: string,
    side: Side,
    /** Everything the server sent before the failure. */
    readonly received: Buffer,
    /** Its output ended (rather than bringing something that is not a version). */
    readonly closed: boolean,
  ) {
    super(
      closed ? `${label} closed the connection before rsync's protocol started` : `${label} printed text before rsync started (is the shell clean?)`,
      closed ? RERR.STREAMIO : RERR.PROTOCOL,
      side,
    );
  }
}

/** Whether `bytes` begin with a protocol version an rsync server could send. */
export function isGreeting(bytes: Buffer): boolean {
  return bytes.length >= 4 && saneVersion(bytes.readInt32LE(0));
}

function saneVersion(version: number): boolean {
  return version >= PROTOCOL_SANE_MIN && version <= PROTOCOL_SANE_MAX;
}

async function readVersion(link: HandshakeLink, side: Side): Promise<number> {
  let version: number;
  try {
    version = await link.reader.read((q) => q.i32());
  } catch (err) {
    if (err instanceof StreamClosed) throw new NoGreeting(link.label, side, err.received, true);
    throw err;
  }
  if (!saneVersion(version)) throw new NoGreeting(link.label, side, link.reader.receivedSoFar, false);
  return version;
}

/** What to do about a server's rsync that is too old. */
function upgradeAdvice(side: Side): string {
  return `upgrade rsync there, or point --${side}-rsync-path at a newer rsync on that host`;
}

function letterFlags(compat: number): string {
  return Object.entries(CAPABILITY_FLAGS)
    .filter(([, flag]) => compat & flag)
    .map(([letter]) => letter)
    .join('');
}

/** The compat bits that come from capability letters must be the same on both sides. */
function letterMask(): number {
  return Object.values(CAPABILITY_FLAGS).reduce((a, b) => a | b, 0);
}

/**
 * Settles the handshake with the servers given: both for a relay, the
 * source alone when relaysync only lists it. Values a side does not have
 * stay 0 in the records.
 */
export async function handshake(initial: Partial<Record<Side, HandshakeLink>>, req: HandshakeRequest): Promise<Settlement> {
  const links = { ...initial };
  const sides = SIDES.filter((side) => links[side]);
  const link = (side: Side): HandshakeLink => links[side]!;
  const each = async (read: (side: Side) => Promise<void>): Promise<void> => void (await Promise.all(sides.map(read)));

  const versions = { source: 0, dest: 0 };
  await each(async (side) => void (versions[side] = await readVersion(link(side), side)));
  const protocol = Math.min(req.offer, ...sides.map((side) => versions[side]));
  for (const side of sides) {
    if (versions[side] < PROTOCOL_MIN) {
      throw new RelayError(
        `${link(side).label} runs an rsync that speaks protocol ${versions[side]} (${rsyncReleasesOf(versions[side])}); ` +
          `relaysync needs protocol ${PROTOCOL_MIN} or newer (${rsyncReleasesOf(PROTOCOL_MIN)} or newer): ${upgradeAdvice(side)}.`,
        RERR.PROTOCOL,
        side,
      );
    }
  }
  for (const side of sides) link(side).send(encodeInt(protocol));
  const tooOld = req.tooOld(protocol);
  if (tooOld !== undefined) {
    const limits = sides.filter((side) => versions[side] === protocol);
    const why = [
      ...(req.offer === protocol && protocol < PROTOCOL_MAX ? [`--protocol=${protocol} asks for protocol ${protocol}: raise it or leave it out`] : []),
      ...limits.map((side) => `${link(side).label} speaks protocol ${protocol} at most (${rsyncReleasesOf(protocol)}): ${upgradeAdvice(side)}`),
    ];
    // rsync's own words first, as its client says them; what limits the protocol on a line of its own, indented under them.
    throw new RelayError(`${tooOld}\n  ${why.join('; ')}; or run without that option.`, RERR.PROTOCOL, limits.length === 1 ? limits[0] : undefined);
  }

  const compat = { source: 0, dest: 0 };
  const mask = letterMask();
  if (protocol >= 30) {
    await each(async (side) => void (compat[side] = await readFrom<number>(link(side), side, 'its compat flags', readVarint)));
    const sharedMask = sides.reduce((m, side) => m & compat[side], mask);
    if (sides.some((side) => (compat[side] & mask) !== sharedMask)) {
      // One server ignored letters it does not know (an older rsync): start
      // the other again without them, so both decode the stream alike.
      const letters = [...req.letters].filter((l) => CAPABILITY_FLAGS[l] === undefined || sharedMask & CAPABILITY_FLAGS[l]!).join('');
      for (const side of sides) {
        if ((compat[side] & mask) === sharedMask) continue;
        links[side] = await req.restart(side, letters);
        const again = await readVersion(link(side), side);
        if (again < protocol) throw new RelayError(`${link(side).label} restarted with protocol ${again}, below the ${protocol} agreed`, RERR.PROTOCOL, side);
        link(side).send(encodeInt(protocol));
        compat[side] = await readFrom<number>(link(side), side, 'its compat flags', readVarint);
      }
      if ((compat.source & mask) !== (compat.dest & mask)) {
        throw new RelayError(
          `the two servers disagree on protocol features: ${link('source').label} has "${letterFlags(compat.source)}", ` +
            `${link('dest').label} has "${letterFlags(compat.dest)}"; relaying between them would corrupt the transfer`,
          RERR.PROTOCOL,
        );
      }
    }
  }

  const compatFlags = compat[sides[0]!] & mask;
  const negotiated = (compatFlags & CF.VARINT_FLIST_FLAGS) !== 0;
  const [chosen, chosenForList = chosen] = (req.checksumChoice ?? '').toLowerCase().split(',');
  const named = (name: string | undefined): string => (!name || name === 'auto' ? impliedChecksum(protocol) : name);
  let checksum = named(chosen);
  const fileChecksum = req.checksumChoice === undefined ? undefined : named(chosenForList);
  let compression = req.compress ? (req.compressChoice ?? 'zlib') : undefined;
  if (negotiated) {
    const wantChecksum = req.checksumChoice === undefined;
    const wantCompress = req.compress && req.compressChoice === undefined;
    const offers: Partial<Record<Side, { checksum: string[]; compress: string[] }>> = {};
    await each(async (side) => {
      const offer = { checksum: [] as string[], compress: [] as string[] };
      if (wantChecksum) offer.checksum = parseNameList(await readFrom<Buffer>(link(side), side, 'its checksum list', (q) => readVstring(q, MAX_NAME_LIST)));
      if (wantCompress) offer.compress = parseNameList(await readFrom<Buffer>(link(side), side, 'its compression list', (q) => readVstring(q, MAX_NAME_LIST)));
      offers[side] = offer;
    });
    const offered = (what: 'checksum' | 'compress'): [string, string[]][] => sides.map((side) => [link(side).label, offers[side]![what]]);
    if (wantChecksum) checksum = agree('checksum', offered('checksum'), isKnownChecksum);
    if (wantCompress) compression = agree('compress', offered('compress'), (n) => (KNOWN_COMPRESSIONS as readonly string[]).includes(n));
    // Each server picks its own favourite from the list it is sent, so each gets a list of one.
    for (const side of sides) {
      if (wantChecksum) link(side).send(encodeVstring(Buffer.from(checksum)));
      if (wantCompress) link(side).send(encodeVstring(Buffer.from(compression!)));
    }
  }

  const seeds: Partial<Record<Side, number>> = {};
  await each(async (side) => void (seeds[side] = await readFrom<number>(link(side), side, 'its checksum seed', (q) => q.i32())));
  if (sides.length === 2 && seeds.source !== seeds.dest && protocol < 30) {
    // Before protocol 30 the seed is part of the whole-file checksum: the receiver could verify nothing.
    const side = seeds.source !== req.seed ? 'source' : 'dest';
    throw new RelayError(
      `${link(side).label} uses checksum seed ${seeds[side]}, not the ${req.seed} it was given (does a forced command fix its command line?); ` +
        `at protocol ${protocol} the two servers must share one seed`,
      RERR.PROTOCOL,
      side,
    );
  }

  return { protocol, compatFlags, compat, checksum, fileChecksum: fileChecksum ?? checksum, compression, seeds, links, versions };
}

/** What the user can do when the offers have nothing in common, by what is negotiated. */
const NO_COMMON_NAME: Readonly<Record<'checksum' | 'compress', { noun: string; fallback: string; variable: string; without: string }>> = {
  checksum: { noun: 'checksum', fallback: 'md5 is known to every rsync since 3.0', variable: 'RSYNC_CHECKSUM_LIST', without: '' },
  compress: { noun: 'compression', fallback: 'zlib is known to every rsync', variable: 'RSYNC_COMPRESS_LIST', without: ', leave out -z' },
};

/** One name every server offers, in the first server's order of preference. */
function agree(what: 'checksum' | 'compress', offers: [label: string, names: string[]][], known: (name: string) => boolean): string {
  const lists = offers.map(([, names]) => names);
  const pick = chooseCommon(lists, known);
  if (pick !== undefined) return pick;
  const { noun, fallback, variable, without } = NO_COMMON_NAME[what];
  const listed = offers.map(([label, names]) => `${label} offers "${names.join(' ')}"`).join(', ');
  const unrelayable = chooseCommon(lists, () => true);
  let advice: string;
  if (unrelayable !== undefined) {
    advice = `both offer ${unrelayable}, which this relaysync cannot relay: name another one both accept with --${what}-choice=NAME${without}, or upgrade relaysync`;
  } else {
    // The host that knows fewer names is the one to upgrade.
    const counts = lists.map((names) => names.filter(known).length);
    const fewer = offers.length === 2 && counts[0] !== counts[1] ? offers[counts[0]! < counts[1]! ? 0 : 1]![0] : undefined;
    advice =
      `name one that both accept with --${what}-choice=NAME (${fallback}, unless ${variable} in the environment on a host leaves it out)${without}, ` +
      `or upgrade rsync on ${fewer ?? 'the host that offers fewer'}`;
  }
  throw new RelayError(`no ${noun} that relaysync can relay is offered by ${offers.length === 1 ? 'the server' : 'both servers'}: ${listed}; ${advice}`, RERR.UNSUPPORTED);
}
