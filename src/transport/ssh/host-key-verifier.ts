// Decides whether to trust the key a host presents, as OpenSSH's
// check_host_key() does, and explains a refusal as clearly as ssh would.
// A refusal happens during key exchange, before authentication, so nothing
// is ever started on a host that was not verified.
//
// relaysync is stricter than ssh in one respect: a changed or revoked key
// is refused whatever StrictHostKeyChecking says (ssh would go on under
// `no`, without password authentication). It never weakens a check.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { PromptInterrupted, type Prompter } from '../terminal.js';
import { TransportError } from '../transport-error.js';
import {
  KnownHosts,
  fingerprint,
  keyTypeLabel,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  readRevokedKeys,
  type HostKeyCheck,
  type KnownHostEntry,
} from './known-hosts.js';
import type { ResolvedHost } from './ssh-config.js';

/** The signature algorithms that prove a key of this type. */
function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [keyType];
}

/** Characters of a host name that make OpenSSH refuse to record it (check_host_key). */
const UNRECORDABLE = /[@?*#[\]|'"\\]/;
/** OpenSSH's MAX_OTHER_NAMES. */
const MAX_OTHER_NAMES = 8;

export interface VerifierOptions {
  readonly host: ResolvedHost;
  /** How messages name the host. */
  readonly label: string;
  /** The address connected to, for CheckHostIP; null when a proxy made the connection. */
  readonly address: string | null;
  /** Where to ask about a new host; null when there is no terminal. */
  readonly terminal: Prompter | null;
  readonly note: (message: string) => void;
}

export class HostKeyVerifier {
  /** Set when verify() refused the key; the connection fails with this error. */
  refusal: TransportError | null = null;
  private readonly known: KnownHosts;
  /** The name known_hosts uses for this host: HostKeyAlias, `host` or `[host]:port`. */
  private readonly name: string;
  /** The address as known_hosts names it, when CheckHostIP applies. */
  private readonly ipName: string | null;
  /** Lines to add once the handshake has proved the host holds the key, with the note that says so. */
  private readonly toRecord: { readonly line: string; readonly note: string }[] = [];

  constructor(private readonly o: VerifierOptions) {
    const { host, address } = o;
    this.known = KnownHosts.load([...host.userKnownHostsFiles, ...host.globalKnownHostsFiles]);
    this.name = host.hostKeyAlias ?? knownHostsName(host.hostName, host.port);
    // As ssh: no address check through a proxy, for a loopback address, or when the host name is the address.
    const checkIp = host.checkHostIp && address !== null && !isLoopback(address) && address !== host.hostName;
    this.ipName = checkIp ? knownHostsName(address, host.port) : null;
  }

  /**
   * ssh2's algorithms.serverHostKey: unless HostKeyAlgorithms was set, the
   * types already recorded for this host first, as OpenSSH orders them, so
   * that a host known by one key type is not asked for another (which would
   * look like a changed key).
   */
  orderHostKeyAlgorithms(offered: readonly string[]): string[] {
    if (this.o.host.hostKeyAlgorithmsConfigured) return [...offered];
    const recorded = new Set(this.known.keyTypesFor(this.name).flatMap(algorithmsForKeyType));
    return [...offered.filter((a) => recorded.has(a)), ...offered.filter((a) => !recorded.has(a))];
  }

  /** ssh2's hostVerifier: true to go on with this key. Never rejects; a refusal is kept in `refusal`. */
  async verify(key: Buffer): Promise<boolean> {
    try {
      return await this.decide(key);
    } catch (err) {
      this.refusal =
        err instanceof PromptInterrupted
          ? new TransportError(this.o.label, 'interrupted', `${this.o.label}: interrupted while asking about the host key`)
          : new TransportError(this.o.label, 'host-key', `${this.o.label}: cannot check the host key: ${(err as Error).message}`);
      return false;
    }
  }

  /** After the handshake proved the host holds the key: record what was accepted. */
  recordAcceptedKey(): void {
    const file = this.o.host.userKnownHostsFiles[0];
    if (file === undefined || this.toRecord.length === 0) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const lines = this.toRecord.map((r) => r.line).join('\n');
    appendFileSync(file, `${endsWithNewline(file) ? '' : '\n'}${lines}\n`);
    for (const { note } of this.toRecord) this.o.note(`${this.o.label}: ${note} (${file}).`);
  }

  private async decide(key: Buffer): Promise<boolean> {
    const keyType = keyTypeOf(key) ?? 'unknown';
    const revokedBy = this.revokedHostKeysProblem(key);
    if (revokedBy !== null) return this.refuse(revokedBy);

    let result = this.known.check(this.name, keyType, key);
    // A host on another port may be recorded without the port (ssh checks that too, read-only).
    if (result.status === 'unknown' && this.o.host.hostKeyAlias === null && this.o.host.port !== 22) {
      const withoutPort = this.known.check(this.o.host.hostName, keyType, key);
      if (withoutPort.status === 'match') result = withoutPort;
    }
    const ip = this.ipName === null ? null : this.known.check(this.ipName, keyType, key);

    switch (result.status) {
      case 'revoked':
        return this.refuse(this.revokedMessage(keyType, result.entry));
      case 'unverifiable-certificate':
        return this.refuse(
          `${this.name} presented a host certificate, which relaysync cannot verify; it refuses rather than trust it unchecked. Use -e ssh for hosts that need certificates.`,
        );
      case 'mismatch':
        return this.refuse(this.changedKeyMessage(keyType, key, result.entry, ip));
      case 'unknown':
        if (!(await this.acceptNewHost(keyType, key, result, ip))) return false;
        break;
      case 'match':
        if (ip?.status === 'unknown') this.recordAddress(key, keyType);
        break;
    }
    if (ip?.status === 'mismatch') return this.addressKeyDiffers(keyType, ip.entry, result);
    return true;
  }

  /** RevokedHostKeys: a listed key is refused, and so is a list that cannot be read. */
  private revokedHostKeysProblem(key: Buffer): string | null {
    const file = this.o.host.revokedHostKeys;
    if (file === null) return null;
    let revoked: Buffer[];
    try {
      revoked = readRevokedKeys(file);
    } catch (err) {
      return `cannot check the host key against RevokedHostKeys: ${(err as Error).message}.`;
    }
    if (!revoked.some((r) => r.equals(key))) return null;
    return `the ${keyTypeLabel(keyTypeOf(key) ?? 'unknown')} host key ${this.fingerprintOf(key)} is revoked by ${file}.`;
  }

  private async acceptNewHost(keyType: string, key: Buffer, result: HostKeyCheck & { status: 'unknown' }, ip: HostKeyCheck | null): Promise<boolean> {
    const { host } = this.o;
    const file = host.userKnownHostsFiles[0];
    const policy = host.strictHostKeyChecking;
    const label = keyTypeLabel(keyType);
    if (file === undefined || UNRECORDABLE.test(host.hostName) || policy === 'yes') {
      return this.refuse(this.unknownHostMessage(keyType, key, result.certAuthorities, policy === 'yes' ? `No ${label} host key is known for ${this.name} and StrictHostKeyChecking is yes.` : null));
    }
    if (policy === 'ask') {
      const terminal = host.batchMode ? null : this.o.terminal;
      if (terminal === null) {
        const why = host.batchMode ? 'BatchMode is on, so relaysync does not ask' : 'there is no terminal to ask on';
        return this.refuse(this.unknownHostMessage(keyType, key, result.certAuthorities, `The host is not known and ${why}.`));
      }
      if (!(await this.confirm(terminal, keyType, key))) return this.refuse('Host key verification failed: the key was not accepted.');
    }
    const nameAndIp = ip?.status === 'unknown' ? `${this.name},${this.ipName}` : this.name;
    const hashed = host.hashKnownHosts;
    const lines = hashed ? nameAndIp.split(',').map((n) => knownHostsLine(n, key, true)) : [knownHostsLine(nameAndIp, key, false)];
    this.toRecord.push({ line: lines.join('\n'), note: `permanently added '${nameAndIp}' (${label}) to the list of known hosts` });
    return true;
  }

  /** ssh's question for a new host, with its answers: yes, no, or the fingerprint itself. */
  private async confirm(terminal: Prompter, keyType: string, key: Buffer): Promise<boolean> {
    const fp = this.fingerprintOf(key);
    const others = this.known.otherNamesFor(key, [this.name, ...(this.ipName === null ? [] : [this.ipName])]);
    const where = this.o.address === null ? this.name : `${this.name} (${this.o.address})`;
    const lines = [
      `${this.o.label}: The authenticity of host '${where}' can't be established.`,
      `${keyTypeLabel(keyType)} key fingerprint is ${fp}.`,
      others.length === 0
        ? 'This key is not known by any other names.'
        : [
            'This host key is known by the following other names/addresses:',
            ...others.slice(0, MAX_OTHER_NAMES).map((e) => `    ${e.file}:${e.line}: ${e.hosts.startsWith('|1|') ? '[hashed name]' : e.hosts}`),
            ...(others.length > MAX_OTHER_NAMES ? [`    (${others.length - MAX_OTHER_NAMES} additional names omitted)`] : []),
          ].join('\n'),
    ];
    let question = `${lines.join('\n')}\nAre you sure you want to continue connecting (yes/no/[fingerprint])? `;
    for (;;) {
      const answer = (await terminal.ask(question, true))?.trim() ?? '';
      if (answer === '' || answer.toLowerCase() === 'no') return false;
      if (answer.toLowerCase() === 'yes' || answer === fp) return true;
      question = `${this.o.label}: Please type 'yes', 'no' or the fingerprint: `;
    }
  }

  /** CheckHostIP: the host is known but its address is not; ssh records the address too. */
  private recordAddress(key: Buffer, keyType: string): void {
    if (this.o.host.userKnownHostsFiles.length === 0) return;
    this.toRecord.push({
      line: knownHostsLine(this.ipName!, key, this.o.host.hashKnownHosts),
      note: `permanently added the ${keyTypeLabel(keyType)} host key for IP address '${this.ipName}' to the list of known hosts`,
    });
  }

  /** CheckHostIP: the host's key is fine but its address is recorded with another key. */
  private async addressKeyDiffers(keyType: string, ipEntry: KnownHostEntry, hostResult: HostKeyCheck): Promise<boolean> {
    const lines = [
      `Warning: the ${keyTypeLabel(keyType)} host key for '${this.name}' differs from the key for the IP address '${this.ipName}'`,
      `Offending key for IP in ${where(ipEntry)}`,
      ...(hostResult.status === 'match' ? [`Matching host key in ${where(hostResult.entry)}`] : []),
    ];
    const policy = this.o.host.strictHostKeyChecking;
    if (policy === 'no') {
      this.o.note(`${this.o.label}: ${lines.join('\n')}`);
      return true;
    }
    const terminal = this.o.host.batchMode ? null : this.o.terminal;
    if (policy === 'ask' && terminal !== null) {
      let question = `${this.o.label}: ${lines.join('\n')}\nAre you sure you want to continue connecting (yes/no)? `;
      for (;;) {
        const answer = (await terminal.ask(question, true))?.trim().toLowerCase() ?? '';
        if (answer === 'yes') return true;
        if (answer === '' || answer === 'no') break;
        question = `${this.o.label}: Please type 'yes' or 'no': `;
      }
    }
    return this.refuse(`${lines.join('\n')}\nrelaysync stopped before logging in to ${this.o.label} (StrictHostKeyChecking ${policy}).`);
  }

  private unknownHostMessage(keyType: string, key: Buffer, certAuthorities: readonly KnownHostEntry[], why: string | null): string {
    const file = this.o.host.userKnownHostsFiles[0];
    const lines = [
      `the authenticity of host '${this.name}' can't be established.`,
      `${keyTypeLabel(keyType)} key fingerprint is ${this.fingerprintOf(key)}.`,
      ...certAuthorities.map((ca) => `(A @cert-authority line covers this host, ${where(ca)}, but relaysync cannot verify host certificates; use -e ssh.)`),
      ...this.known.problemsFor(this.name).map((p) => `(${p.file}${p.line ? `:${p.line}` : ''} was skipped: ${p.reason}.)`),
      ...(why === null ? [] : [why]),
    ];
    if (file === undefined) {
      lines.push('UserKnownHostsFile is none, so there is nowhere to record it; name a file there.');
    } else if (UNRECORDABLE.test(this.o.host.hostName)) {
      lines.push(`relaysync will not record a host named '${this.o.host.hostName}' in known_hosts; check HostName.`);
    } else {
      lines.push(
        `If the host's administrator confirms that fingerprint (ssh-keygen -lf on the host's key), add this line to ${file}:`,
        knownHostsLine(this.name, key, false),
        'or connect once with ssh, which asks, or set StrictHostKeyChecking accept-new for this host.',
      );
    }
    lines.push(`relaysync stopped before logging in to ${this.o.label}.`);
    return lines.join('\n');
  }

  private revokedMessage(keyType: string, entry: KnownHostEntry): string {
    return [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@       WARNING: REVOKED HOST KEY DETECTED!               @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      `The ${keyTypeLabel(keyType)} host key for ${this.name} is marked as revoked in ${where(entry)}.`,
      'This could mean that a stolen key is being used to impersonate this host.',
      `relaysync stopped before logging in to ${this.o.label}.`,
    ].join('\n');
  }

  private changedKeyMessage(keyType: string, key: Buffer, entry: KnownHostEntry, ip: HostKeyCheck | null): string {
    const spoofing =
      ip === null || (ip.status === 'mismatch' && ip.entry.key.equals(entry.key))
        ? []
        : [
            '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
            '@       WARNING: POSSIBLE DNS SPOOFING DETECTED!          @',
            '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
            `The ${keyTypeLabel(keyType)} host key for ${this.name} has changed,`,
            `and the key for the corresponding IP address ${this.ipName}`,
            `${ip.status === 'unknown' ? 'is unknown' : ip.status === 'match' ? 'is unchanged' : 'has a different value'}. This could either mean that`,
            'DNS SPOOFING is happening or the IP address for the host',
            'and its host key have changed at the same time.',
            ...(ip.status === 'mismatch' || ip.status === 'match' ? [`Offending key for IP in ${where(ip.entry)}`] : []),
          ];
    return [
      ...spoofing,
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
      'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
      'It is also possible that a host key has just been changed.',
      `The fingerprint for the ${keyTypeLabel(keyType)} key sent by the remote host is`,
      `${this.fingerprintOf(key)}.`,
      'Please contact your system administrator.',
      `Offending ${keyTypeLabel(entry.keyType)} key in ${where(entry)}`,
      `  remove with: ssh-keygen -f "${entry.file}" -R "${this.name}"`,
      `Host key for ${this.name} has changed; relaysync never connects to a host whose key changed.`,
      `relaysync stopped before logging in to ${this.o.label}.`,
    ].join('\n');
  }

  private fingerprintOf(key: Buffer): string {
    return fingerprint(key, this.o.host.fingerprintHash);
  }

  private refuse(message: string): false {
    this.refusal = new TransportError(this.o.label, 'host-key', `${this.o.label}: ${message}`);
    return false;
  }
}

function where(entry: KnownHostEntry): string {
  return `${entry.file}:${entry.line}`;
}

function isLoopback(address: string): boolean {
  return isIP(address) === 4 ? address.startsWith('127.') : address === '::1' || address.startsWith('::ffff:127.');
}

function endsWithNewline(file: string): boolean {
  try {
    const text = readFileSync(file, 'latin1');
    return text === '' || text.endsWith('\n');
  } catch {
    return true;
  }
}
