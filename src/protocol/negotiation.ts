// What the handshake settles (compat.c setup_protocol, checksum.c): the
// checksum and compression names each server offers and how long each
// checksum is on the wire.

/** Length in bytes of each transfer checksum (csum_len_for_type). */
const CHECKSUM_LENGTHS: Readonly<Record<string, number>> = {
  xxh128: 16,
  xxh3: 8,
  xxh64: 8,
  xxhash: 8,
  md5: 16,
  md4: 16,
  sha1: 20,
  none: 1,
};

export function checksumLength(name: string): number {
  const length = CHECKSUM_LENGTHS[name];
  if (length === undefined) throw new Error(`unknown checksum ${name}`);
  return length;
}

export function isKnownChecksum(name: string): boolean {
  return name in CHECKSUM_LENGTHS;
}

export const KNOWN_COMPRESSIONS = ['zstd', 'lz4', 'zlibx', 'zlib', 'none'] as const;

/** The checksum both ends use when no names are negotiated. */
export function impliedChecksum(protocol: number): string {
  return protocol >= 30 ? 'md5' : 'md4';
}

/** A server's offer: names separated by spaces, most preferred first. */
export function parseNameList(list: Buffer): string[] {
  return list.toString('latin1').split(' ').filter((n) => n.length > 0);
}

/**
 * The first name in the first server's order that every other server also
 * offers. "none" is never chosen here: a server offers it, but a client only
 * asks for it explicitly (--checksum-choice=none / --compress-choice=none).
 */
export function chooseCommon(offers: readonly (readonly string[])[], known: (name: string) => boolean): string | undefined {
  const [first, ...others] = offers.map((names) => names.map((n) => n.toLowerCase()));
  return first?.find((n) => n !== 'none' && known(n) && others.every((o) => o.includes(n)));
}
