// Logging in as ssh does (sshconnect2.c): `none` first, to learn what the
// server accepts, then PreferredAuthentications in order, each method only
// if the configuration enables it and the server still lists it: public
// keys (agent and identity files, see identities.ts), keyboard-interactive,
// password. Every prompt goes to the terminal and names the host; with no
// terminal (or BatchMode) nothing is asked and the failure says what the
// host would have needed. Everything tried or skipped is remembered for that
// message.
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, KeyboardInteractiveAuthMethod, NextAuthHandler, Prompt } from 'ssh2';
import { PromptInterrupted, type Prompter } from '../terminal.js';
import { TransportError } from '../transport-error.js';
import { OneKeyAgent, prepareIdentities, type Identity } from './identities.js';
import type { IdentityFile } from './key-files.js';
import type { ResolvedHost } from './ssh-config.js';

export interface AuthOptions {
  readonly host: ResolvedHost;
  readonly label: string;
  /** Where to ask; null when there is no terminal. */
  readonly terminal: Prompter | null;
}

export class Authentication {
  /** What was offered, in order, for the failure message. */
  private readonly tried: string[] = [];
  /** What could not be used and why. */
  private readonly skipped: string[] = [];
  /** The methods the server said it accepts, once it has answered. */
  private serverMethods: readonly string[] | null = null;
  /** True once every method has been tried and refused. */
  exhausted = false;
  /** Set when the user pressed Ctrl-C at a prompt: the connection ends with this error. */
  interruption: TransportError | null = null;
  private identities: readonly Identity[] = [];
  private readonly methods: AsyncGenerator<AnyAuthMethod, void>;
  /** The terminal, unless BatchMode forbids asking. */
  private readonly terminal: Prompter | null;

  private constructor(private readonly o: AuthOptions) {
    this.terminal = o.host.batchMode ? null : o.terminal;
    this.methods = this.sequence();
  }

  /** Reads the identity files and asks the agent for its keys. Never throws: what fails is listed for the failure message. */
  static async prepare(o: AuthOptions): Promise<Authentication> {
    const auth = new Authentication(o);
    const { host } = o;
    if (host.pubkeyAuthentication) {
      const prepared = await prepareIdentities({
        identityFiles: host.identityFiles,
        identityFilesConfigured: host.identityFilesConfigured,
        identitiesOnly: host.identitiesOnly,
        agentSocket: host.identityAgent,
        numberOfPasswordPrompts: host.numberOfPasswordPrompts,
        passphrase: (file, attempt) => auth.askPassphrase(file, attempt),
      });
      auth.identities = prepared.identities;
      auth.skipped.push(...prepared.skipped);
    }
    return auth;
  }

  /** ssh2's authHandler: the next method, or false when none is left or the user pressed Ctrl-C at a prompt. */
  readonly handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial, next: NextAuthHandler) => {
    if (methodsLeft) this.serverMethods = methodsLeft;
    const stop = (): void => {
      this.exhausted = true;
      next(false as unknown as AuthenticationType);
    };
    if (this.interruption) return stop();
    void this.methods.next().then(
      (step) => (step.done || this.interruption ? stop() : next(step.value)),
      (err: unknown) => {
        if (err instanceof PromptInterrupted) this.interrupted();
        else this.skipped.push(`asking on the terminal (${(err as Error).message})`);
        stop();
      },
    );
  };

  /** Why no method was accepted, for the user. */
  failureMessage(): string {
    const { label, host } = this.o;
    const lines = [`${label}: authentication failed for user ${host.user} on ${host.hostName} port ${host.port}.`];
    lines.push(this.tried.length > 0 ? `Tried: ${this.tried.join('; ')}.` : 'There was nothing to try.');
    if (this.skipped.length > 0) lines.push(`Not used: ${this.skipped.join('; ')}.`);
    if (this.serverMethods) lines.push(`The server accepts: ${this.serverMethods.join(', ')}.`);
    if (this.tried.length === 0 && !host.identityFilesConfigured) {
      lines.push('Start ssh-agent and ssh-add a key, or name a key with IdentityFile in ~/.ssh/config.');
    }
    return lines.join('\n');
  }

  private async *sequence(): AsyncGenerator<AnyAuthMethod, void> {
    const { host } = this.o;
    const username = host.user;
    yield { type: 'none', username };
    for (const method of new Set(host.preferredAuthentications)) {
      if (method === 'publickey' && host.pubkeyAuthentication) {
        for (const identity of this.identities) {
          if (!this.serverAccepts('publickey')) break;
          const key = identity.publicKey ?? (await identity.unlock())?.publicKey;
          if (this.interruption) return;
          if (!key) continue;
          this.tried.push(identity.description);
          yield { type: 'agent', username, agent: new OneKeyAgent(key, identity) };
        }
      } else if (method === 'keyboard-interactive' && host.kbdInteractiveAuthentication && this.serverAccepts(method)) {
        if (!this.canAsk(method)) continue;
        for (let attempt = 0; attempt < host.numberOfPasswordPrompts && this.serverAccepts(method); attempt++) {
          this.tried.push('keyboard-interactive');
          yield { type: 'keyboard-interactive', username, prompt: this.keyboardInteractive };
        }
      } else if (method === 'password' && host.passwordAuthentication && this.serverAccepts(method)) {
        if (!this.canAsk(method)) continue;
        for (let attempt = 0; attempt < host.numberOfPasswordPrompts && this.serverAccepts(method); attempt++) {
          const again = attempt === 0 ? '' : `${this.o.label}: Permission denied, please try again.\n`;
          const password = await this.terminal!.ask(`${again}${this.o.label}: ${username}@${host.hostName}'s password: `, false);
          if (password === null) break;
          this.tried.push('password');
          yield { type: 'password', username, password };
        }
      }
    }
  }

  /** Until the server has answered `none`, every method is worth a try. */
  private serverAccepts(method: string): boolean {
    return this.serverMethods === null || this.serverMethods.includes(method);
  }

  /** Whether a prompting method can run; if not, the failure message says what the host wanted. */
  private canAsk(method: string): boolean {
    if (this.terminal !== null) return true;
    this.skipped.push(`${method} (the server accepts it, but ${this.o.host.batchMode ? 'BatchMode is on' : 'there is no terminal to ask on'})`);
    return false;
  }

  private async askPassphrase(file: IdentityFile, attempt: number): Promise<string | null> {
    if (this.terminal === null) {
      const why = this.o.host.batchMode ? 'BatchMode is on' : 'there is no terminal to ask for its passphrase on';
      this.skipped.push(`${file.path} (encrypted, and ${why}: add the key to ssh-agent)`);
      return null;
    }
    const prompt = attempt === 1 ? `Enter passphrase for key '${file.path}': ` : `Bad passphrase, try again for ${file.path}: `;
    try {
      return await this.terminal.ask(`${this.o.label}: ${prompt}`, false);
    } catch (err) {
      if (err instanceof PromptInterrupted) this.interrupted();
      return null;
    }
  }

  /** Shows the server's questions (its name and instructions first, as ssh does) and sends the answers. */
  private readonly keyboardInteractive: KeyboardInteractiveAuthMethod['prompt'] = (name, instructions, _lang, prompts: Prompt[], finish) => {
    const { label } = this.o;
    const heading = [name, instructions].filter((text) => text !== '').map((text) => `${label}: ${text}\n`).join('');
    void (async () => {
      const answers: string[] = [];
      try {
        for (const [i, prompt] of prompts.entries()) {
          const answer = await this.terminal!.ask(`${i === 0 ? heading : ''}${label}: ${prompt.prompt}`, prompt.echo === true);
          answers.push(answer ?? '');
        }
      } catch (err) {
        if (!(err instanceof PromptInterrupted)) throw err;
        this.interrupted();
      }
      finish(answers);
    })();
  };

  private interrupted(): void {
    this.interruption ??= new TransportError(this.o.label, 'interrupted', `${this.o.label}: interrupted at a login prompt`);
  }
}
