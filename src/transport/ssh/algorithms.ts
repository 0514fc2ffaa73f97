// Ciphers, MACs, KexAlgorithms and HostKeyAlgorithms as OpenSSH 9.2 reads
// them (kex.c kex_assemble_names): a plain list replaces the default, `+`
// appends to it, `^` puts names in front of it, `-` removes names matching
// patterns from it. The result is what `ssh -G` prints; ssh2 then offers the
// part of it that it implements, in the same order.
import { matchPattern, matchPatternList } from './wildcard.js';

export type AlgorithmKind = 'ciphers' | 'macs' | 'kexalgorithms' | 'hostkeyalgorithms';

interface AlgorithmTable {
  /** Every name OpenSSH 9.2 knows (`ssh -Q`), in its order: a name outside it is a configuration error, as in ssh. */
  readonly all: readonly string[];
  /** OpenSSH 9.2's default list (`ssh -G` with no configuration). */
  readonly defaults: readonly string[];
  /** How OpenSSH names the keyword in its error message. */
  readonly what: string;
}

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

const TABLES: Record<AlgorithmKind, AlgorithmTable> = {
  ciphers: {
    what: 'SSH2 cipher spec',
    all: words(`3des-cbc aes128-cbc aes192-cbc aes256-cbc aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com
      aes256-gcm@openssh.com chacha20-poly1305@openssh.com`),
    defaults: words(`chacha20-poly1305@openssh.com aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com
      aes256-gcm@openssh.com`),
  },
  macs: {
    what: 'SSH2 MAC spec',
    all: words(`hmac-sha1 hmac-sha1-96 hmac-sha2-256 hmac-sha2-512 hmac-md5 hmac-md5-96 umac-64@openssh.com
      umac-128@openssh.com hmac-sha1-etm@openssh.com hmac-sha1-96-etm@openssh.com hmac-sha2-256-etm@openssh.com
      hmac-sha2-512-etm@openssh.com hmac-md5-etm@openssh.com hmac-md5-96-etm@openssh.com umac-64-etm@openssh.com
      umac-128-etm@openssh.com`),
    defaults: words(`umac-64-etm@openssh.com umac-128-etm@openssh.com hmac-sha2-256-etm@openssh.com
      hmac-sha2-512-etm@openssh.com hmac-sha1-etm@openssh.com umac-64@openssh.com umac-128@openssh.com hmac-sha2-256
      hmac-sha2-512 hmac-sha1`),
  },
  kexalgorithms: {
    what: 'SSH2 KexAlgorithms',
    all: words(`diffie-hellman-group1-sha1 diffie-hellman-group14-sha1 diffie-hellman-group14-sha256
      diffie-hellman-group16-sha512 diffie-hellman-group18-sha512 diffie-hellman-group-exchange-sha1
      diffie-hellman-group-exchange-sha256 ecdh-sha2-nistp256 ecdh-sha2-nistp384 ecdh-sha2-nistp521 curve25519-sha256
      curve25519-sha256@libssh.org sntrup761x25519-sha512 sntrup761x25519-sha512@openssh.com`),
    defaults: words(`sntrup761x25519-sha512 sntrup761x25519-sha512@openssh.com curve25519-sha256 curve25519-sha256@libssh.org
      ecdh-sha2-nistp256 ecdh-sha2-nistp384 ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256
      diffie-hellman-group16-sha512 diffie-hellman-group18-sha512 diffie-hellman-group14-sha256`),
  },
  hostkeyalgorithms: {
    what: 'key types',
    all: words(`ssh-ed25519 ssh-ed25519-cert-v01@openssh.com sk-ssh-ed25519@openssh.com
      sk-ssh-ed25519-cert-v01@openssh.com ecdsa-sha2-nistp256 ecdsa-sha2-nistp256-cert-v01@openssh.com
      ecdsa-sha2-nistp384 ecdsa-sha2-nistp384-cert-v01@openssh.com ecdsa-sha2-nistp521
      ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ecdsa-sha2-nistp256@openssh.com
      sk-ecdsa-sha2-nistp256-cert-v01@openssh.com webauthn-sk-ecdsa-sha2-nistp256@openssh.com ssh-dss
      ssh-dss-cert-v01@openssh.com ssh-rsa ssh-rsa-cert-v01@openssh.com rsa-sha2-256 rsa-sha2-256-cert-v01@openssh.com
      rsa-sha2-512 rsa-sha2-512-cert-v01@openssh.com`),
    defaults: words(`ssh-ed25519-cert-v01@openssh.com ecdsa-sha2-nistp256-cert-v01@openssh.com
      ecdsa-sha2-nistp384-cert-v01@openssh.com ecdsa-sha2-nistp521-cert-v01@openssh.com
      sk-ssh-ed25519-cert-v01@openssh.com sk-ecdsa-sha2-nistp256-cert-v01@openssh.com
      rsa-sha2-512-cert-v01@openssh.com rsa-sha2-256-cert-v01@openssh.com ssh-ed25519 ecdsa-sha2-nistp256
      ecdsa-sha2-nistp384 ecdsa-sha2-nistp521 sk-ssh-ed25519@openssh.com sk-ecdsa-sha2-nistp256@openssh.com rsa-sha2-512
      rsa-sha2-256`),
  },
};

/** OpenSSH 9.2's own lists, exported for the tests that compare them with `ssh -Q` and `ssh -G`. */
export function openSshAlgorithms(kind: AlgorithmKind): AlgorithmTable {
  return TABLES[kind];
}

/**
 * Why `spec` is not a valid value for the keyword, or null when it is. As in
 * readconf.c, a `-` list may hold any patterns; other lists must name known
 * algorithms (host key types may also be patterns that match one).
 */
export function invalidAlgorithmSpec(kind: AlgorithmKind, spec: string): string | null {
  if (spec.startsWith('-')) return null;
  const names = spec.startsWith('+') || spec.startsWith('^') ? spec.slice(1) : spec;
  const { all, what } = TABLES[kind];
  const valid = (name: string): boolean =>
    all.includes(name) || (kind === 'hostkeyalgorithms' && all.some((known) => matchPatternList(known, name, false) !== 0));
  const parts = names.split(',');
  return names !== '' && parts.every((p) => p !== '' && valid(p)) ? null : `Bad ${what} '${spec}'`;
}

/** The list OpenSSH uses for a (valid) spec, or its default for none. Throws when the result is empty. */
export function assembleAlgorithms(kind: AlgorithmKind, spec: string | undefined): string[] {
  const { all, defaults } = TABLES[kind];
  if (spec === undefined || spec === '') return [...defaults];
  if (spec.startsWith('-')) {
    const removed = spec.slice(1);
    return defaults.filter((name) => matchPatternList(name, removed, false) !== 1);
  }
  let list: string[];
  if (spec.startsWith('+')) list = union(defaults, spec.slice(1).split(','));
  else if (spec.startsWith('^')) list = union(spec.slice(1).split(','), defaults);
  else list = spec.split(',');
  // Each entry may be a pattern: it stands for the known names it matches, in OpenSSH's order.
  const result = list.reduce<string[]>((acc, pattern) => union(acc, all.filter((name) => matchPattern(name, pattern))), []);
  if (result.length === 0) throw new Error(`"${spec}" leaves no algorithm to use`);
  return result;
}

/** `a` followed by the names of `b` not already in it (kex_names_cat). */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...a, ...b.filter((name, i) => !a.includes(name) && b.indexOf(name) === i)];
}
