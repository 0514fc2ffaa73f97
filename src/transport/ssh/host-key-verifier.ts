// Decides whether to trust the key a host presents, as OpenSSH's
// check_host_key() does, and explains a refusal as clearly as ssh would.
// A refusal happens during key exchange, before authentication, so nothing
// is ever started on a host that was not verified.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TransportError } from '../transport-error.js';
import {
  KnownHosts,
  fingerprintSha256,
  keyTypeLabel,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  type KnownHostEntry,
} from './known-hosts.js';
import type { ResolvedHost } from './ssh-config.js';

/**
 * The host key algorithms we offer, in ssh2's default order less `ssh-rsa`
 * (SHA-1 signatures), which OpenSSH 9 no longer accepts by default either.
 */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];

/** The signature algorithms that prove a key of this type. */
function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [keyType];
}

export class HostKeyVerifier {
  /** Set when verify() refused the key; the connection fails with this error. */
  refusal: TransportError | null = null;
  private readonly known: KnownHosts;
  /** The name known_hosts uses for this host: `host` or `[host]:port`. */
  private readonly name: string;
  private keyToRecord: Buffer | null = null;

  constructor(
    private readonly host: ResolvedHost,
    private readonly label: string,
    private readonly note: (message: string) => void,
  ) {
    this.known = KnownHosts.load([...host.userKnownHostsFiles, ...host.globalKnownHostsFiles]);
    this.name = knownHostsName(host.hostName, host.port);
  }

  /**
   * ssh2's algorithms.serverHostKey: the types already recorded for this host
   * first, as OpenSSH orders them, so that a host known by one key type is
   * not asked for another (which would look like a changed key).
   */
  serverHostKeyAlgorithms(): string[] {
    const recorded = new Set(this.known.keyTypesFor(this.host.hostName, this.host.port).flatMap(algorithmsForKeyType));
    return [...HOST_KEY_ALGORITHMS.filter((a) => recorded.has(a)), ...HOST_KEY_ALGORITHMS.filter((a) => !recorded.has(a))];
  }

  /** ssh2's hostVerifier: true to go on with this key. */
  verify(key: Buffer): boolean {
    const keyType = keyTypeOf(key) ?? 'unknown';
    const result = this.known.check(this.host.hostName, this.host.port, keyType, key);
    switch (result.status) {
      case 'match':
        return true;
      case 'mismatch':
        return this.refuse(this.changedKeyMessage(keyType, key, result.entry));
      case 'revoked':
        return this.refuse(
          [
            '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
            '@       WARNING: REVOKED HOST KEY DETECTED!               @',
            '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
            `The ${keyTypeLabel(keyType)} host key for ${this.name} is marked as revoked in ${where(result.entry)}.`,
            'This could mean that a stolen key is being used to impersonate this host.',
            `relaysync stopped before logging in to ${this.label}.`,
          ].join('\n'),
        );
      case 'unverifiable-certificate':
        return this.refuse(
          `${this.name} presented a host certificate, which relaysync cannot verify yet; it refuses rather than trust it unchecked.`,
        );
      case 'unknown':
        return this.unknownHost(keyType, key, result.certAuthorities);
    }
  }

  /** After the handshake proved the host holds the key: record a key accepted under accept-new or no. */
  recordAcceptedKey(): void {
    if (this.keyToRecord === null) return;
    const file = this.host.userKnownHostsFiles[0]!;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${endsWithNewline(file) ? '' : '\n'}${knownHostsLine(this.name, this.keyToRecord, this.host.hashKnownHosts)}\n`);
    this.note(
      `${this.label}: permanently added '${this.name}' (${keyTypeLabel(keyTypeOf(this.keyToRecord)!)}) to the list of known hosts (${file}).`,
    );
  }

  private unknownHost(keyType: string, key: Buffer, certAuthorities: readonly KnownHostEntry[]): boolean {
    const policy = this.host.strictHostKeyChecking;
    if ((policy === 'accept-new' || policy === 'no') && this.host.userKnownHostsFiles.length > 0) {
      this.keyToRecord = key;
      return true;
    }
    const file = this.host.userKnownHostsFiles[0];
    const lines = [
      `the authenticity of host '${this.name}' can't be established.`,
      `${keyTypeLabel(keyType)} key fingerprint is ${fingerprintSha256(key)}.`,
      ...certAuthorities.map((ca) => `(A @cert-authority line covers this host, ${where(ca)}, but relaysync cannot verify host certificates yet.)`),
      ...this.known.problemsFor(this.host.hostName, this.host.port).map((p) => `(${p.file}${p.line ? `:${p.line}` : ''} was skipped: ${p.reason}.)`),
      policy === 'yes'
        ? `No ${keyTypeLabel(keyType)} host key is known for ${this.name} and StrictHostKeyChecking is yes.`
        : 'relaysync does not ask whether to trust a new host.',
    ];
    if (file === undefined) {
      lines.push('UserKnownHostsFile is none, so there is nowhere to record it; name a file there.');
    } else {
      lines.push(
        `If the host's administrator confirms that fingerprint (ssh-keygen -lf on the host's key), add this line to ${file}:`,
        knownHostsLine(this.name, key, false),
        `or connect once with ssh, which asks, or set StrictHostKeyChecking accept-new for this host.`,
      );
    }
    lines.push(`relaysync stopped before logging in to ${this.label}.`);
    return this.refuse(lines.join('\n'));
  }

  private changedKeyMessage(keyType: string, key: Buffer, entry: KnownHostEntry): string {
    return [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
      'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
      'It is also possible that a host key has just been changed.',
      `The fingerprint for the ${keyTypeLabel(keyType)} key sent by the remote host is`,
      `${fingerprintSha256(key)}.`,
      'Please contact your system administrator.',
      `Offending ${keyTypeLabel(entry.keyType)} key in ${where(entry)}`,
      `  remove with: ssh-keygen -f "${entry.file}" -R "${this.name}"`,
      `Host key for ${this.name} has changed; relaysync never connects to a host whose key changed.`,
      `relaysync stopped before logging in to ${this.label}.`,
    ].join('\n');
  }

  private refuse(message: string): false {
    this.refusal = new TransportError(this.label, 'host-key', `${this.label}: ${message}`);
    return false;
  }
}

function where(entry: KnownHostEntry): string {
  return `${entry.file}:${entry.line}`;
}

function endsWithNewline(file: string): boolean {
  try {
    const text = readFileSync(file, 'latin1');
    return text === '' || text.endsWith('\n');
  } catch {
    return true;
  }
}
