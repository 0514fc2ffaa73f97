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
  /** Names given with --checksum-choice / --compress-choice: then the servers negotiate nothing. */
  readonly checksumChoice: string | undefined;
  readonly compress: boolean;
  readonly compressChoice: string | undefined;
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
  readonly checksum: string;
  readonly compression: string | undefined;
  /**
   * The seed each server uses. They differ only when a server ignored the one
   * it was given (a forced command with a fixed command line): from protocol
   * 30 the transfer stays correct, but no block can match, so changed files
   * go whole.
   */
  readonly seeds: Readonly<Record<Side, number>>;
  readonly links: Readonly<Record<Side, HandshakeLink>>;
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

export async function handshake(initial: Record<Side, HandshakeLink>, req: HandshakeRequest): Promise<Settlement> {
  const links = { ...initial };
  const versions = { source: 0, dest: 0 };
  await Promise.all(SIDES.map(async (side) => (versions[side] = await readVersion(links[side], side))));

  const protocol = Math.min(req.offer, versions.source, versions.dest);
  for (const side of SIDES) {
    if (versions[side] < PROTOCOL_MIN) {
      throw new RelayError(
        `${links[side].label} runs an rsync that speaks protocol ${versions[side]}; relaysync needs protocol ${PROTOCOL_MIN} or newer (rsync 2.6.0+). Upgrade rsync there, or point --rsync-path at a newer one.`,
        RERR.PROTOCOL,
        side,
      );
    }
  }
  for (const side of SIDES) links[side].send(encodeInt(protocol));

  let compat = { source: 0, dest: 0 };
  if (protocol >= 30) {
    const flags = { source: 0, dest: 0 };
    await Promise.all(SIDES.map(async (side) => (flags[side] = await readFrom<number>(links[side], side, 'its compat flags', readVarint))));
    const mask = letterMask();
    const sharedMask = flags.source & flags.dest & mask;
    if ((flags.source & mask) !== (flags.dest & mask)) {
      // One server ignored letters it does not know (an older rsync): start
      // the other again without them, so both decode the stream alike.
      const letters = [...req.letters].filter((l) => CAPABILITY_FLAGS[l] === undefined || sharedMask & CAPABILITY_FLAGS[l]!).join('');
      for (const side of SIDES) {
        if ((flags[side] & mask) === sharedMask) continue;
        links[side] = await req.restart(side, letters);
        const again = await readVersion(links[side], side);
        if (again < protocol) throw new RelayError(`${links[side].label} restarted with protocol ${again}, below the ${protocol} agreed`, RERR.PROTOCOL, side);
        links[side].send(encodeInt(protocol));
        flags[side] = await readFrom<number>(links[side], side, 'its compat flags', readVarint);
      }
      if ((flags.source & mask) !== (flags.dest & mask)) {
        throw new RelayError(
          `the two servers disagree on protocol features: ${links.source.label} has "${letterFlags(flags.source)}", ` +
            `${links.dest.label} has "${letterFlags(flags.dest)}"; relaying between them would corrupt the transfer`,
          RERR.PROTOCOL,
        );
      }
    }
    compat = flags;
  }

  const compatFlags = compat.source & letterMask();
  const negotiated = (compatFlags & CF.VARINT_FLIST_FLAGS) !== 0;
  let checksum = req.checksumChoice ?? impliedChecksum(protocol);
  let compression = req.compress ? (req.compressChoice ?? 'zlib') : undefined;
  if (negotiated) {
    const wantChecksum = req.checksumChoice === undefined;
    const wantCompress = req.compress && req.compressChoice === undefined;
    const offers = { source: { checksum: [] as string[], compress: [] as string[] }, dest: { checksum: [] as string[], compress: [] as string[] } };
    await Promise.all(
      SIDES.map(async (side) => {
        if (wantChecksum) offers[side].checksum = parseNameList(await readFrom<Buffer>(links[side], side, 'its checksum list', (q) => readVstring(q, MAX_NAME_LIST)));
        if (wantCompress) offers[side].compress = parseNameList(await readFrom<Buffer>(links[side], side, 'its compression list', (q) => readVstring(q, MAX_NAME_LIST)));
      }),
    );
    if (wantChecksum) checksum = agree('checksum', offers.source.checksum, offers.dest.checksum, isKnownChecksum, links);
    if (wantCompress) compression = agree('compression', offers.source.compress, offers.dest.compress, (n) => (KNOWN_COMPRESSIONS as readonly string[]).includes(n), links);
    // Each server picks its own favourite from the list it is sent, so both get a list of one.
    for (const side of SIDES) {
      if (wantChecksum) links[side].send(encodeVstring(Buffer.from(checksum)));
      if (wantCompress) links[side].send(encodeVstring(Buffer.from(compression!)));
    }
  }

  const seeds = { source: 0, dest: 0 };
  await Promise.all(SIDES.map(async (side) => (seeds[side] = await readFrom<number>(links[side], side, 'its checksum seed', (q) => q.i32()))));
  if (seeds.source !== seeds.dest && protocol < 30) {
    // Before protocol 30 the seed is part of the whole-file checksum: the receiver could verify nothing.
    const side = seeds.source !== req.seed ? 'source' : 'dest';
    throw new RelayError(
      `${links[side].label} uses checksum seed ${seeds[side]}, not the ${req.seed} it was given (does a forced command fix its command line?); ` +
        `at protocol ${protocol} the two servers must share one seed`,
      RERR.PROTOCOL,
      side,
    );
  }

  return { protocol, compatFlags, compat, checksum, compression, seeds, links, versions };
}

function agree(
  what: string,
  source: readonly string[],
  dest: readonly string[],
  known: (name: string) => boolean,
  links: Record<Side, HandshakeLink>,
): string {
  const choice = chooseCommon(source, dest, known);
  if (choice === undefined) {
    throw new RelayError(
      `the two servers have no ${what} in common: ${links.source.label} offers "${source.join(' ')}", ` +
        `${links.dest.label} offers "${dest.join(' ')}"; name one both have with --${what === 'checksum' ? 'checksum' : 'compress'}-choice, or upgrade rsync on one of them`,
      RERR.UNSUPPORTED,
    );
  }
  return choice;
}
