// The broker's half of the handshake with both servers (compat.c
// setup_protocol). Each server speaks first and then waits for its client,
// so the broker reads both before it answers either: one protocol version,
// one set of compat flags, one checksum and one compression for both, and
// the checksum seed both were given on their command lines.
import { CAPABILITY_FLAGS, CF, PROTOCOL_MIN, PROTOCOL_SANE_MAX, PROTOCOL_SANE_MIN, RERR } from '../protocol/constants.js';
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

async function readVersion(link: HandshakeLink, side: Side): Promise<number> {
  const version = await readFrom<number>(link, side, 'its protocol version', (q) => q.i32());
  if (version < PROTOCOL_SANE_MIN || version > PROTOCOL_SANE_MAX) {
    const shown = JSON.stringify(link.reader.receivedSoFar.subarray(0, 80).toString('latin1'));
    throw new RelayError(
      `${link.label} printed something before rsync started (protocol version mismatch — is the shell clean?): ` +
        `it sent ${shown}. A login script on ${link.label} (~/.bashrc, ~/.profile, /etc/profile or similar) prints text for ` +
        `non-interactive shells; make it print nothing unless the shell is interactive.`,
      RERR.PROTOCOL,
      side,
    );
  }
  return version;
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
        `${link(side).label} runs an rsync that speaks protocol ${versions[side]}; relaysync needs protocol ${PROTOCOL_MIN} or newer (rsync 2.6.0+). Upgrade rsync there, or point --rsync-path at a newer one.`,
        RERR.PROTOCOL,
        side,
      );
    }
  }
  for (const side of sides) link(side).send(encodeInt(protocol));
  const tooOld = req.tooOld(protocol);
  if (tooOld !== undefined) throw new RelayError(tooOld, RERR.PROTOCOL);

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

/** One name every server offers, in the first server's order of preference. */
function agree(what: 'checksum' | 'compress', offers: [label: string, names: string[]][], known: (name: string) => boolean): string {
  const pick = chooseCommon(
    offers.map(([, names]) => names),
    known,
  );
  if (pick === undefined) {
    const listed = offers.map(([label, names]) => `${label} offers "${names.join(' ')}"`).join(', ');
    throw new RelayError(
      `no ${what === 'checksum' ? 'checksum' : 'compression'} that relaysync can relay is offered by ${offers.length === 1 ? 'the server' : 'both servers'}: ${listed}; ` +
        `name one with --${what}-choice, or upgrade rsync`,
      RERR.UNSUPPORTED,
    );
  }
  return pick;
}
