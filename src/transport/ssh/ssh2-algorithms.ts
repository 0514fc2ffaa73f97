// What relaysync's SSH client offers: the lists the configuration asks for
// (OpenSSH's, see algorithms.ts), less what ssh2 does not implement on this
// Node.js (it has no certificates, no sntrup761 and no umac; chacha20
// depends on OpenSSL). ssh2 publishes its lists only in this internal
// module, which has been stable across its 1.x releases.
//
// One difference from ssh: with no Ciphers configured, the default ciphers
// are offered in ssh2's order for this CPU, which puts AES-GCM first where
// the CPU has AES instructions (ChaCha20-Poly1305 first where it has not).
// relaysync decrypts and encrypts every byte it relays, and there AES-GCM
// costs it far less CPU; ssh puts ChaCha20-Poly1305 first everywhere.
import type { Algorithms, CipherAlgorithm, CompressionAlgorithm, KexAlgorithm, MacAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';
import { createRequire } from 'node:module';
import { openSshAlgorithms, type AlgorithmKind } from './algorithms.js';
import type { ResolvedHost } from './ssh-config.js';

interface Ssh2Constants {
  /** ssh2's own preference, fastest first on this CPU. */
  readonly DEFAULT_CIPHER: readonly string[];
  readonly SUPPORTED_CIPHER: readonly string[];
  readonly SUPPORTED_MAC: readonly string[];
  readonly SUPPORTED_KEX: readonly string[];
  readonly SUPPORTED_SERVER_HOST_KEY: readonly string[];
}

const supported = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as Ssh2Constants;

const SSH2_LISTS: Record<AlgorithmKind, readonly string[]> = {
  ciphers: supported.SUPPORTED_CIPHER,
  macs: supported.SUPPORTED_MAC,
  kexalgorithms: supported.SUPPORTED_KEX,
  hostkeyalgorithms: supported.SUPPORTED_SERVER_HOST_KEY,
};

const KEYWORDS: Record<AlgorithmKind, string> = {
  ciphers: 'Ciphers',
  macs: 'MACs',
  kexalgorithms: 'KexAlgorithms',
  hostkeyalgorithms: 'HostKeyAlgorithms',
};

export interface OfferedAlgorithms {
  /** ssh2's `algorithms` option, host keys still in the configured order. */
  readonly algorithms: Required<Omit<Algorithms, 'serverHostKey'>> & { serverHostKey: ServerHostKeyAlgorithm[] };
  /** For -v: names the configuration lists that ssh2 cannot use. */
  readonly notes: readonly string[];
}

/** `names` in the order of `preference`, the ones it does not list last (in their own order). */
function byPreference(names: readonly string[], preference: readonly string[]): string[] {
  const rank = (name: string): number => (preference.includes(name) ? preference.indexOf(name) : preference.length);
  return [...names].sort((x, y) => rank(x) - rank(y));
}

/** The algorithms to offer for a host. Throws with a message when a list has nothing ssh2 can use. */
export function offeredAlgorithms(host: ResolvedHost): OfferedAlgorithms {
  const notes: string[] = [];
  const pick = <T extends string>(kind: AlgorithmKind): T[] => {
    const wanted = host.algorithms[kind];
    const usable = wanted.filter((name) => SSH2_LISTS[kind].includes(name));
    const dropped = wanted.filter((name) => !usable.includes(name));
    if (usable.length === 0) {
      throw new Error(
        `none of the ${KEYWORDS[kind]} it is configured with (${wanted.join(',')}) is one relaysync's SSH client implements ` +
          `(${SSH2_LISTS[kind].join(',')}); change ${KEYWORDS[kind]} or use -e ssh`,
      );
    }
    const configured = wanted.join() !== openSshAlgorithms(kind).defaults.join();
    // OpenSSH's default lists always name algorithms ssh2 lacks; only a configured list is worth a note.
    if (dropped.length > 0 && configured) {
      notes.push(`${KEYWORDS[kind]}: relaysync's SSH client cannot use ${dropped.join(',')}; it offers ${usable.join(',')}`);
    }
    if (kind === 'ciphers' && !configured) return byPreference(usable, supported.DEFAULT_CIPHER) as T[];
    return usable as T[];
  };
  // OpenSSH offers the same methods either way and only changes which comes first.
  const compress: CompressionAlgorithm[] = host.compression ? ['zlib@openssh.com', 'zlib', 'none'] : ['none', 'zlib@openssh.com', 'zlib'];
  return {
    algorithms: {
      cipher: pick<CipherAlgorithm>('ciphers'),
      hmac: pick<MacAlgorithm>('macs'),
      kex: pick<KexAlgorithm>('kexalgorithms'),
      serverHostKey: pick<ServerHostKeyAlgorithm>('hostkeyalgorithms'),
      compress,
    },
    notes,
  };
}
