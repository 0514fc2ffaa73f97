// Public key authentication as ssh does it without prompts: keys from the
// ssh-agent first (only those matching an identity file under
// IdentitiesOnly), then each identity file not already offered through the
// agent. Everything tried or skipped is remembered, so a failure can say so.
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type {
  AnyAuthMethod,
  AuthenticationType,
  AuthHandlerMiddleware,
  IdentityCallback,
  NextAuthHandler,
  ParsedKey,
  SignCallback,
  SigningRequestOptions,
} from 'ssh2';
import type { ResolvedHost } from './ssh-config.js';

const { BaseAgent, OpenSSHAgent, utils } = ssh2;
type PublicKey = ParsedKey | Buffer | string;

const ENCRYPTED = 'encrypted; passphrase prompts are not supported yet, add it to ssh-agent';

/** An agent that offers a chosen subset of another agent's keys and lets it sign. */
class ListedKeysAgent extends BaseAgent {
  constructor(
    private readonly agent: InstanceType<typeof OpenSSHAgent>,
    private readonly keys: ParsedKey[],
  ) {
    super();
  }
  getIdentities(cb: IdentityCallback): void {
    cb(null, this.keys);
  }
  sign(pubKey: PublicKey, data: Buffer, options: SigningRequestOptions, cb?: SignCallback): void;
  sign(pubKey: PublicKey, data: Buffer, cb: SignCallback): void;
  sign(pubKey: PublicKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    if (typeof options === 'function') this.agent.sign(pubKey, data, options);
    else this.agent.sign(pubKey, data, options, cb);
  }
}

interface IdentityFile {
  readonly path: string;
  /** The private key, or null when it cannot be used (see `skipped`). */
  readonly key: ParsedKey | null;
  /** The public key blob, from the key or its .pub file, to match agent keys. */
  readonly publicBlob: Buffer | null;
  /** A private key we could not decrypt without a passphrase. */
  readonly encrypted: boolean;
}

export class Authentication {
  /** What was offered, in order, for the failure message. */
  readonly tried: string[] = [];
  /** What could not be used and why. */
  readonly skipped: string[] = [];
  /** The methods the server said it accepts, once it has refused one. */
  serverMethods: AuthenticationType[] | null = null;
  /** True once every method has been tried and refused. */
  exhausted = false;
  private readonly methods: { description: string; method: AnyAuthMethod }[] = [];

  private constructor(private readonly host: ResolvedHost) {}

  /** Reads the identity files and asks the agent for its keys. Never throws: what fails is listed in `skipped`. */
  static async prepare(host: ResolvedHost, note: (message: string) => void, label: string): Promise<Authentication> {
    const auth = new Authentication(host);
    const files = host.identityFiles.map((path) => auth.readIdentity(path)).filter((f) => f !== null);
    const offeredByAgent = await auth.addAgent(files);
    for (const file of files) {
      if (file.publicBlob && offeredByAgent.some((k) => k.equals(file.publicBlob!))) continue;
      if (file.encrypted) note(`${label}: skipping ${file.path}: ${ENCRYPTED}.`);
      if (file.key === null) continue;
      auth.methods.push({ description: `key file ${file.path}`, method: { type: 'publickey', username: host.user, key: file.key } });
    }
    return auth;
  }

  /** ssh2's authHandler: the next prepared method, or false when none is left or the server takes no keys. */
  readonly handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial, next: NextAuthHandler) => {
    if (methodsLeft) this.serverMethods = methodsLeft;
    const step = this.methods.shift();
    if (step === undefined || (methodsLeft && !methodsLeft.includes('publickey'))) {
      this.exhausted = true;
      next(false as unknown as AuthenticationType);
      return;
    }
    this.tried.push(step.description);
    next(step.method);
  };

  /** Why no identity was accepted, for the user. */
  failureMessage(label: string): string {
    const { user, hostName, port } = this.host;
    const lines = [`${label}: authentication failed for user ${user} on ${hostName} port ${port}.`];
    lines.push(this.tried.length > 0 ? `Tried: ${this.tried.join('; ')}.` : 'There was no identity to try.');
    if (this.skipped.length > 0) lines.push(`Not used: ${this.skipped.join('; ')}.`);
    if (this.serverMethods) lines.push(`The server accepts: ${this.serverMethods.join(', ')}.`);
    if (this.tried.length === 0 && !this.host.identityFilesConfigured) {
      lines.push('Start ssh-agent and ssh-add a key, or name a key with IdentityFile in ~/.ssh/config.');
    }
    return lines.join('\n');
  }

  private readIdentity(path: string): IdentityFile | null {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (err) {
      // Missing default key files are normal; a missing configured one is worth saying.
      if (this.host.identityFilesConfigured || (err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.skipped.push(`${path} (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message})`);
      }
      return null;
    }
    const key = parseKeyFile(data);
    if (key instanceof Error) {
      const encrypted = /passphrase/i.test(key.message);
      this.skipped.push(`${path} (${encrypted ? ENCRYPTED : key.message})`);
      return { path, key: null, publicBlob: readPublicBlob(`${path}.pub`), encrypted };
    }
    // A public key file can still name an agent key (IdentityFile x.pub with IdentitiesOnly).
    return { path, key: key.isPrivateKey() ? key : null, publicBlob: key.getPublicSSH(), encrypted: false };
  }

  /** Adds the agent method if the agent has usable keys; returns the public blobs it will offer. */
  private async addAgent(files: IdentityFile[]): Promise<Buffer[]> {
    const socket = this.host.identityAgent;
    if (socket === null) return [];
    const agent = new OpenSSHAgent(socket);
    let keys: ParsedKey[];
    try {
      // OpenSSHAgent hands back parsed keys; the typings allow other shapes, which parseKey passes through or rejects.
      const found = await new Promise<unknown[]>((resolve, reject) =>
        agent.getIdentities((err, list) => (err ? reject(err) : resolve(list ?? []))),
      );
      keys = found.map((k) => utils.parseKey(k as ParsedKey)).filter((k): k is ParsedKey => !(k instanceof Error));
    } catch (err) {
      this.skipped.push(`ssh-agent at ${socket} (${(err as Error).message})`);
      return [];
    }
    if (this.host.identitiesOnly) {
      const listed = files.flatMap((f) => (f.publicBlob ? [f.publicBlob] : []));
      keys = keys.filter((k) => listed.some((blob) => blob.equals(k.getPublicSSH())));
    }
    if (keys.length === 0) {
      this.skipped.push(`ssh-agent at ${socket} (no ${this.host.identitiesOnly ? 'key matching an IdentityFile (IdentitiesOnly)' : 'keys'})`);
      return [];
    }
    this.methods.push({
      description: `ssh-agent at ${socket} (${keys.length} key${keys.length === 1 ? '' : 's'})`,
      method: { type: 'agent', username: this.host.user, agent: new ListedKeysAgent(agent, keys) },
    });
    return keys.map((k) => k.getPublicSSH());
  }
}

/** The first key in a key file (OpenSSH's format can hold several; ssh uses the first). */
function parseKeyFile(data: Buffer): ParsedKey | Error {
  const parsed: ParsedKey | ParsedKey[] | Error = utils.parseKey(data);
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

function readPublicBlob(path: string): Buffer | null {
  try {
    const key = parseKeyFile(readFileSync(path));
    return key instanceof Error ? null : key.getPublicSSH();
  } catch {
    return null;
  }
}
