// The keys offered for public key authentication, in OpenSSH's order
// (sshconnect2.c pubkey_prepare): identity files the agent holds, then the
// agent's other keys (not under IdentitiesOnly), then the other identity
// files. Each is handed to ssh2 as an agent of one key, because ssh2 asks an
// agent to sign only after the server has accepted the key: a passphrase is
// asked for exactly when ssh would ask for it.
import ssh2 from 'ssh2';
import type { IdentityCallback, ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';
import { decryptIdentityFile, readIdentityFile, type IdentityFile } from './key-files.js';

const { BaseAgent, OpenSSHAgent } = ssh2;
type Agent = InstanceType<typeof OpenSSHAgent>;
type PublicKey = ParsedKey | Buffer | string;

/** Asks for a key file's passphrase: the passphrase, or null to give up on that key (with the reason set). */
export type PassphraseSource = (file: IdentityFile, attempt: number) => Promise<string | null>;

export interface Identity {
  /** How the failure message names it. */
  readonly description: string;
  /** The public key to offer; null for an encrypted file whose public half is only known once decrypted. */
  readonly publicKey: ParsedKey | null;
  /** The key ready to sign, asking for the passphrase if it must; null when it cannot be had. */
  unlock(): Promise<UnlockedKey | null>;
}

export interface UnlockedKey {
  readonly publicKey: ParsedKey;
  /** Signs authentication data the way an ssh-agent answers: the bare signature. */
  sign(data: Buffer, options: SigningRequestOptions): Promise<Buffer>;
}

export interface PreparedIdentities {
  readonly identities: readonly Identity[];
  /** What could not be used and why, for the failure message. */
  readonly skipped: readonly string[];
}

export interface IdentityOptions {
  readonly identityFiles: readonly string[];
  /** Missing default key files are normal; a missing configured one is worth saying. */
  readonly identityFilesConfigured: boolean;
  readonly identitiesOnly: boolean;
  readonly agentSocket: string | null;
  readonly passphrase: PassphraseSource;
  readonly numberOfPasswordPrompts: number;
}

export async function prepareIdentities(o: IdentityOptions): Promise<PreparedIdentities> {
  const skipped: string[] = [];
  const files: IdentityFile[] = [];
  for (const path of o.identityFiles) {
    const read = readIdentityFile(path);
    if ('problem' in read) {
      if (o.identityFilesConfigured || !read.missing) skipped.push(`${path} (${read.problem})`);
    } else {
      files.push(read);
    }
  }

  const fromAgent = await agentKeys(o.agentSocket, skipped);
  const preferred: Identity[] = [];
  const otherAgentKeys: Identity[] = [];
  const inAgent = new Set<IdentityFile>();
  for (const key of fromAgent?.keys ?? []) {
    const file = files.find((f) => f.publicKey !== null && f.publicKey.getPublicSSH().equals(key.getPublicSSH()));
    const identity = agentIdentity(fromAgent!.agent, key, file?.path ?? `${key.type} key "${key.comment}"`, o.agentSocket!);
    if (file !== undefined && !inAgent.has(file)) {
      inAgent.add(file);
      preferred.push(identity);
    } else if (file === undefined && !o.identitiesOnly) {
      otherAgentKeys.push(identity);
    }
  }
  if (fromAgent !== null && o.identitiesOnly && preferred.length === 0) {
    skipped.push(`ssh-agent at ${o.agentSocket} (no key matching an IdentityFile (IdentitiesOnly))`);
  }
  const fileIdentities = files
    .filter((f) => !inAgent.has(f) && (f.privateKey !== null || f.encrypted))
    .map((f) => fileIdentity(f, o));
  return { identities: [...preferred, ...otherAgentKeys, ...fileIdentities], skipped };
}

async function agentKeys(socket: string | null, skipped: string[]): Promise<{ agent: Agent; keys: ParsedKey[] } | null> {
  if (socket === null) return null;
  const agent = new OpenSSHAgent(socket);
  try {
    const keys = await new Promise<ParsedKey[]>((resolve, reject) =>
      agent.getIdentities((err, list) => (err ? reject(err) : resolve((list ?? []) as ParsedKey[]))),
    );
    if (keys.length === 0) skipped.push(`ssh-agent at ${socket} (no keys)`);
    return { agent, keys };
  } catch (err) {
    skipped.push(`ssh-agent at ${socket} (${(err as Error).message})`);
    return null;
  }
}

function agentIdentity(agent: Agent, key: ParsedKey, name: string, socket: string): Identity {
  const unlocked: UnlockedKey = {
    publicKey: key,
    sign: (data, options) =>
      new Promise((resolve, reject) => agent.sign(key, data, options, (err, signature) => (err ? reject(err) : resolve(signature!)))),
  };
  return { description: `${name} (through ssh-agent at ${socket})`, publicKey: key, unlock: async () => unlocked };
}

function fileIdentity(file: IdentityFile, o: IdentityOptions): Identity {
  let unlocked: Promise<UnlockedKey | null> | undefined;
  return {
    description: file.path,
    publicKey: file.publicKey,
    unlock: () => (unlocked ??= unlockFile(file, o)),
  };
}

async function unlockFile(file: IdentityFile, o: IdentityOptions): Promise<UnlockedKey | null> {
  let key = file.privateKey;
  // ssh asks up to NumberOfPasswordPrompts times; an empty answer gives up on the key.
  for (let attempt = 1; key === null && attempt <= Math.max(1, o.numberOfPasswordPrompts); attempt++) {
    const passphrase = await o.passphrase(file, attempt);
    if (passphrase === null || passphrase === '') return null;
    const decrypted = decryptIdentityFile(file.path, passphrase);
    if (!(decrypted instanceof Error)) key = decrypted;
  }
  if (key === null) return null;
  const privateKey = key;
  return {
    publicKey: privateKey,
    sign: async (data, options) => {
      const signature = privateKey.sign(data, options?.hash);
      if (signature instanceof Error) throw signature;
      return signature;
    },
  };
}

/** An agent that offers one key and signs with it, unlocking it on first use. */
export class OneKeyAgent extends BaseAgent {
  constructor(
    private readonly key: ParsedKey,
    private readonly identity: Identity,
  ) {
    super();
  }
  getIdentities(cb: IdentityCallback): void {
    cb(null, [this.key]);
  }
  sign(pubKey: PublicKey, data: Buffer, options: SigningRequestOptions, cb?: SignCallback): void;
  sign(pubKey: PublicKey, data: Buffer, cb: SignCallback): void;
  sign(_pubKey: PublicKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const done = (typeof options === 'function' ? options : cb)!;
    const signing = typeof options === 'function' ? {} : options;
    this.identity
      .unlock()
      .then((key) => (key === null ? Promise.reject(new Error(`${this.identity.description} could not be unlocked`)) : key.sign(data, signing)))
      .then(
        (signature) => done(null, signature),
        (err: Error) => done(err),
      );
  }
}
