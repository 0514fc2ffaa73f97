// known_hosts files as OpenSSH 9.2 reads them (hostfile.c, sshconnect.c):
// `[@marker] hosts keytype base64 [comment]`, where hosts is a comma list of
// patterns (`*`, `?`, `!`) or one hashed name `|1|salt|HMAC-SHA1(name)`, and a
// host on a port other than 22 is named `[host]:port`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { matchPatternList } from './wildcard.js';

export type HostKeyMarker = 'cert-authority' | 'revoked' | null;

export interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker: HostKeyMarker;
  /** The host field as written (patterns, or a hashed name). */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

/** A line that could not be read, or a file that could not be opened (line 0). */
export interface KnownHostsProblem {
  readonly file: string;
  readonly line: number;
  readonly hosts: string | null;
  readonly reason: string;
}

export type HostKeyCheck =
  | { readonly status: 'match'; readonly entry: KnownHostEntry }
  /** A different key is recorded for this host: `entry` is the one that conflicts (of the same type when there is one). */
  | { readonly status: 'mismatch'; readonly entry: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  /** Nothing recorded for this host; `certAuthorities` would apply to a certificate. */
  | { readonly status: 'unknown'; readonly certAuthorities: readonly KnownHostEntry[] }
  /** The host showed a certificate: relaysync cannot verify those, so this never passes. */
  | { readonly status: 'unverifiable-certificate'; readonly certAuthorities: readonly KnownHostEntry[] };

const HASH_MAGIC = '|1|';
const SHA1_BYTES = 20;
/** The start of a binary KRL file (PROTOCOL.krl). */
const KRL_MAGIC = Buffer.from('SSHKRL\n\0', 'latin1');
const MARKERS: Record<string, HostKeyMarker> = { '@cert-authority': 'cert-authority', '@revoked': 'revoked' };

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `|1|salt|hash` for `name`, as `ssh-keygen -H` and HashKnownHosts write it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(SHA1_BYTES)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `${HASH_MAGIC}${salt.toString('base64')}|${hash}`;
}

/** OpenSSH's default fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintSha256(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** A fingerprint as FingerprintHash asks: SHA256 by default, or MD5 as colon-separated hex. */
export function fingerprint(key: Buffer, hash: 'sha256' | 'md5'): string {
  if (hash === 'sha256') return fingerprintSha256(key);
  return 'MD5:' + (createHash('md5').update(key).digest('hex').match(/../g) ?? []).join(':');
}

/** The key type named inside an SSH public key blob, or null if it is not one. */
export function keyTypeOf(key: Buffer): string | null {
  if (key.length < 4) return null;
  const length = key.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > key.length) return null;
  return key.toString('latin1', 4, 4 + length);
}

/** The short name OpenSSH prints in messages: ED25519, ECDSA, RSA, ... */
export function keyTypeLabel(keyType: string): string {
  const cert = keyType.includes('-cert-') ? '-CERT' : '';
  const base = keyType.replace(/-cert-v01@openssh\.com$/, '');
  if (base === 'ssh-ed25519') return 'ED25519' + cert;
  if (base === 'sk-ssh-ed25519@openssh.com') return 'ED25519-SK' + cert;
  if (base.startsWith('ecdsa-sha2-')) return 'ECDSA' + cert;
  if (base.startsWith('sk-ecdsa-sha2-')) return 'ECDSA-SK' + cert;
  if (base === 'ssh-rsa') return 'RSA' + cert;
  if (base === 'ssh-dss') return 'DSA' + cert;
  return keyType;
}

/** A line to append to a known_hosts file. */
export function knownHostsLine(name: string, key: Buffer, hashed: boolean): string {
  return `${hashed ? hashHostName(name) : name} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

export class KnownHosts {
  private constructor(
    readonly entries: readonly KnownHostEntry[],
    readonly problems: readonly KnownHostsProblem[],
  ) {}

  /** Reads the files in order; a missing file is simply empty, an unreadable one is a problem. */
  static load(files: readonly string[]): KnownHosts {
    const entries: KnownHostEntry[] = [];
    const problems: KnownHostsProblem[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          problems.push({ file, line: 0, hosts: null, reason: `cannot read: ${(err as Error).message}` });
        }
        continue;
      }
      const parsed = KnownHosts.parse(text, file);
      entries.push(...parsed.entries);
      problems.push(...parsed.problems);
    }
    return new KnownHosts(entries, problems);
  }

  static parse(text: string, file: string): KnownHosts {
    const entries: KnownHostEntry[] = [];
    const problems: KnownHostsProblem[] = [];
    text.split('\n').forEach((raw, index) => {
      const result = parseLine(raw.replace(/\r$/, ''), file, index + 1);
      if (result === null) return;
      if ('reason' in result) problems.push(result);
      else entries.push(result);
    });
    return new KnownHosts(entries, problems);
  }

  /**
   * Every entry whose host field names `name`, as `ssh-keygen -F` lists
   * them: `name` is how known_hosts writes the host (`host`, `[host]:port`,
   * or a HostKeyAlias).
   */
  entriesFor(name: string): KnownHostEntry[] {
    const lower = name.toLowerCase();
    return this.entries.filter((e) => hostFieldMatches(e.hosts, lower));
  }

  /** Unreadable lines whose host field names this host: worth mentioning when the host is not found. */
  problemsFor(name: string): KnownHostsProblem[] {
    const lower = name.toLowerCase();
    return this.problems.filter((p) => p.hosts === null || hostFieldMatches(p.hosts, lower));
  }

  /** The key types recorded for this host, in file order, for ordering host key algorithms. */
  keyTypesFor(name: string): string[] {
    const types = this.entriesFor(name)
      .filter((e) => e.marker === null)
      .map((e) => e.keyType);
    return [...new Set(types)];
  }

  /**
   * Decides a presented host key as OpenSSH's check_key_in_hostkeys() does:
   * a revoked key is refused; an equal recorded key matches; any other key
   * recorded for the host (whatever its type) makes it a mismatch.
   */
  check(name: string, keyType: string, key: Buffer): HostKeyCheck {
    const entries = this.entriesFor(name);
    const certAuthorities = entries.filter((e) => e.marker === 'cert-authority');
    if (keyType.includes('-cert-')) return { status: 'unverifiable-certificate', certAuthorities };

    const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
    if (revoked) return { status: 'revoked', entry: revoked };
    const plain = entries.filter((e) => e.marker === null);
    const match = plain.find((e) => e.key.equals(key));
    if (match) return { status: 'match', entry: match };
    const conflict = plain.filter((e) => e.keyType === keyType).at(-1) ?? plain.at(-1);
    if (conflict) return { status: 'mismatch', entry: conflict };
    return { status: 'unknown', certAuthorities };
  }

  /** Entries that record this key under names other than these (OpenSSH shows them when asking about a new host). */
  otherNamesFor(key: Buffer, names: readonly string[]): KnownHostEntry[] {
    const lower = names.map((n) => n.toLowerCase());
    return this.entries.filter((e) => e.marker === null && e.key.equals(key) && !lower.some((n) => hostFieldMatches(e.hosts, n)));
  }
}

function hostFieldMatches(hosts: string, name: string): boolean {
  if (!hosts.startsWith(HASH_MAGIC)) return matchPatternList(name, hosts, true) === 1;
  const [salt, hash] = hosts.slice(HASH_MAGIC.length).split('|');
  return createHmac('sha1', Buffer.from(salt!, 'base64')).update(name).digest('base64') === hash;
}

function parseLine(line: string, file: string, lineNo: number): KnownHostEntry | KnownHostsProblem | null {
  const fields = line.trim().split(/[ \t]+/);
  if (fields[0] === '' || fields[0]!.startsWith('#')) return null;
  const problem = (reason: string, hosts: string | null = null): KnownHostsProblem => ({ file, line: lineNo, hosts, reason });

  let marker: HostKeyMarker = null;
  if (fields[0]!.startsWith('@')) {
    const word = fields.shift()!;
    if (!(word in MARKERS)) return problem(`unknown marker ${word} (only @cert-authority and @revoked exist)`, fields[0] ?? null);
    marker = MARKERS[word]!;
  }
  const [hosts, keyType, base64] = fields;
  if (hosts === undefined) return problem('no host names');
  if (hosts.startsWith(HASH_MAGIC) && !validHash(hosts)) return problem('malformed hashed host name', hosts);
  if (keyType === undefined || base64 === undefined || base64.startsWith('#')) return problem('no key after the host names', hosts);
  if (/^\d+$/.test(keyType)) return problem('an SSH protocol 1 key, which nothing uses any more', hosts);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return problem(`the ${keyType} key is not valid base64`, hosts);
  const key = Buffer.from(base64, 'base64');
  const inner = keyTypeOf(key);
  if (inner !== keyType) return problem(`the key is labelled ${keyType} but holds ${inner ?? 'no valid key'}`, hosts);
  return { file, line: lineNo, marker, hosts, keyType, key };
}

/**
 * The keys listed in a RevokedHostKeys file in OpenSSH's plain form, one
 * `type base64 [comment]` per line. Throws when the file cannot be read, is
 * a binary KRL (which relaysync cannot read), or has a line that is not a key:
 * a revocation list that cannot be read must stop the connection.
 */
export function readRevokedKeys(file: string): Buffer[] {
  const data = readFileSync(file);
  if (data.subarray(0, KRL_MAGIC.length).equals(KRL_MAGIC)) {
    throw new Error(`${file} is a binary key revocation list (KRL), which relaysync cannot read; use -e ssh`);
  }
  return data
    .toString('utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, index }) => {
      const [keyType, base64] = line.split(/[ \t]+/);
      const key = base64 !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(base64) ? Buffer.from(base64, 'base64') : null;
      if (key === null || keyTypeOf(key) !== keyType) throw new Error(`${file} line ${index + 1} is not a public key`);
      return key;
    });
}

function validHash(hosts: string): boolean {
  const parts = hosts.slice(HASH_MAGIC.length).split('|');
  return parts.length === 2 && Buffer.from(parts[0]!, 'base64').length === SHA1_BYTES && parts[1]!.length > 0;
}
