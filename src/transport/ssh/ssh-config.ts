// OpenSSH client configuration: reads the configuration files once and
// resolves a host alias to the settings relaysync acts on, following
// OpenSSH 9.2's readconf.c and ssh.c: Host and Match blocks select, the
// first value obtained for a keyword wins (IdentityFile accumulates),
// keywords are case-insensitive, and `Match final` asks for a second pass
// in which Host patterns see the HostName. A keyword relaysync does not act
// on is listed in `ignored` with its file, line and the reason.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { assembleAlgorithms, type AlgorithmKind } from './algorithms.js';
import { SYSTEM_CONFIG_DIR, SshConfigError, fail, loadConfigFile, type ConfigFile, type Origin, type Setting } from './config-files.js';
import {
  ALIASES,
  DEAD_KEYWORDS,
  HONOURED,
  NOT_HONOURED,
  type AddressFamily,
  type At,
  type Collected,
  type FingerprintHash,
  type IgnoredSetting,
  type IpFamily,
  type StrictHostKeyChecking,
} from './config-keywords.js';
import { ExpansionError, expandTilde, expandTokens } from './expand.js';
import type { JumpHop } from './jump-hosts.js';
import { matchLineApplies } from './match-line.js';
import { matchPattern, matchPatternList } from './wildcard.js';

export { SshConfigError } from './config-files.js';
export type { IgnoredSetting, StrictHostKeyChecking } from './config-keywords.js';

/** How the connection to a host is made. */
export type HostRoute =
  | { readonly kind: 'direct' }
  /** A ProxyCommand, with its %-tokens expanded, run by the user's shell. */
  | { readonly kind: 'command'; readonly command: string }
  /** Through these hosts, the first connected first. */
  | { readonly kind: 'jump'; readonly hops: readonly JumpHop[] };

/** What relaysync uses to reach one host, with OpenSSH's defaults filled in and paths expanded. */
export interface ResolvedHost {
  /** The host as the user typed it; Host patterns match this. */
  readonly alias: string;
  /** HostName with %h expanded, lower-cased unless it is an address: what is connected to. */
  readonly hostName: string;
  readonly user: string;
  readonly port: number;
  readonly route: HostRoute;
  /** IdentityFile entries (`none` dropped), or OpenSSH's default key files when there are none. */
  readonly identityFiles: readonly string[];
  /** True when identityFiles came from the configuration rather than the defaults. */
  readonly identityFilesConfigured: boolean;
  readonly identitiesOnly: boolean;
  /** The agent socket to use (IdentityAgent, else SSH_AUTH_SOCK), or null for none. */
  readonly identityAgent: string | null;
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: StrictHostKeyChecking;
  readonly hashKnownHosts: boolean;
  /** HostKeyAlias (lower-cased): the name host keys are looked up and recorded under instead of the host name. */
  readonly hostKeyAlias: string | null;
  readonly checkHostIp: boolean;
  /** RevokedHostKeys: a file of keys that must never be accepted. */
  readonly revokedHostKeys: string | null;
  readonly fingerprintHash: FingerprintHash;
  /** Seconds, or null for the system's own timeout. */
  readonly connectTimeout: number | null;
  readonly connectionAttempts: number;
  /** Seconds between keepalives once logged in; 0 sends none. */
  readonly serverAliveInterval: number;
  readonly serverAliveCountMax: number;
  readonly tcpKeepAlive: boolean;
  readonly addressFamily: AddressFamily;
  readonly bindAddress: string | null;
  /** The lists `ssh -G` prints, before ssh2's own limits apply. */
  readonly algorithms: Readonly<Record<AlgorithmKind, readonly string[]>>;
  /** False when HostKeyAlgorithms is OpenSSH's default, which relaysync reorders by the keys known for the host, as ssh does. */
  readonly hostKeyAlgorithmsConfigured: boolean;
  readonly compression: boolean;
  readonly batchMode: boolean;
  readonly preferredAuthentications: readonly string[];
  readonly pubkeyAuthentication: boolean;
  readonly passwordAuthentication: boolean;
  readonly kbdInteractiveAuthentication: boolean;
  readonly numberOfPasswordPrompts: number;
  readonly ignored: readonly IgnoredSetting[];
}

export interface SshConfigOptions {
  /** The user's home: `~`, %d, and the base of relative user Include paths. */
  readonly home: string;
  /** The local user name: %u, and the default remote user. */
  readonly localUser: string;
  /** For ${VAR} expansion, SSH_AUTH_SOCK, `$VAR` IdentityAgent values and Match exec's shell. */
  readonly env: NodeJS.ProcessEnv;
  /** A file given on the command line, as `ssh -F`: read instead of both others; `none` reads nothing. */
  readonly configFile?: string;
  /** Defaults to ~/.ssh/config; null reads none. */
  readonly userConfig?: string | null;
  /** Defaults to /etc/ssh/ssh_config; null reads none. */
  readonly systemConfig?: string | null;
}

/** What the command line says about a host, which wins over the files as in ssh. */
export interface HostOverrides {
  readonly user?: string;
  readonly port?: number;
  /** The hops before this one, when it is itself a ProxyJump hop (ssh -J). */
  readonly jump?: readonly JumpHop[];
  /** -4/-6, as ssh takes them: ahead of AddressFamily in the files, for the host itself and not its jump hosts. */
  readonly addressFamily?: IpFamily;
}

const DEFAULT_PORT = 22;
/** OpenSSH 9.2's default identities, less the kinds ssh2 cannot use (security keys, XMSS, DSA). */
const DEFAULT_IDENTITY_FILES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519'];
const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
const DEFAULT_PREFERRED_AUTHENTICATIONS = 'gssapi-with-mic,hostbased,publickey,keyboard-interactive,password';
const COMMAND_LINE: Origin = { file: 'the command line', line: 0 };

/** Where the walk through the files is. */
interface Walk {
  readonly alias: string;
  readonly overrides: HostOverrides;
  readonly finalPass: boolean;
  /** What Host lines match: the host as typed, or in the final pass the HostName. */
  readonly host: string;
  wantFinalPass: boolean;
}

export class SshConfig {
  private constructor(
    private readonly files: readonly ConfigFile[],
    private readonly options: SshConfigOptions,
  ) {}

  /** Reads the configuration files (and everything they Include). Throws SshConfigError. */
  static load(options: SshConfigOptions): SshConfig {
    const { home } = options;
    const files: (ConfigFile | null)[] = [];
    if (options.configFile !== undefined) {
      if (options.configFile.toLowerCase() !== 'none') {
        const file = loadConfigFile(options.configFile, { userFile: true, checkOwner: false, home });
        if (file === null) throw new SshConfigError(`cannot open the ssh configuration file ${options.configFile}: no such file`);
        files.push(file);
      }
    } else {
      const userPath = options.userConfig === undefined ? join(home, '.ssh', 'config') : options.userConfig;
      const systemPath = options.systemConfig === undefined ? join(SYSTEM_CONFIG_DIR, 'ssh_config') : options.systemConfig;
      if (userPath !== null) files.push(loadConfigFile(userPath, { userFile: true, checkOwner: true, home }));
      if (systemPath !== null) files.push(loadConfigFile(systemPath, { userFile: false, checkOwner: false, home }));
    }
    return new SshConfig(
      files.filter((f): f is ConfigFile => f !== null),
      options,
    );
  }

  /** The settings for `alias` (the host as typed). */
  resolveHost(alias: string, overrides: HostOverrides = {}): ResolvedHost {
    const c: Collected = { identityFiles: [], ignored: [] };
    if (overrides.jump !== undefined) c.proxy = { ...COMMAND_LINE, value: { kind: 'jump', hops: overrides.jump } };
    const first: Walk = { alias, overrides, finalPass: false, host: alias, wantFinalPass: false };
    this.walkAll(first, c);
    const hostName = expandedHostName(c, alias);
    if (first.wantFinalPass) {
      // As ssh.c does before the second pass: HostName is now fixed, and Host patterns see it.
      c.hostName = { ...COMMAND_LINE, value: hostName };
      this.walkAll({ alias, overrides, finalPass: true, host: hostName, wantFinalPass: false }, c);
    }
    return this.settle(alias, hostName, overrides, c);
  }

  private walkAll(walk: Walk, c: Collected): void {
    for (const file of this.files) this.walk(file, walk, c, { active: true }, false);
  }

  /**
   * One file in OpenSSH's order. `state.active` is shared with included
   * files, as readconf.c shares *activep; an Include read while inactive
   * can never apply (SSHCONF_NEVERMATCH).
   */
  private walk(file: ConfigFile, walk: Walk, c: Collected, state: { active: boolean }, neverMatch: boolean): void {
    for (const d of file.directives) {
      if (d.kind === 'include') {
        const outer = state.active;
        for (const included of d.files) {
          this.walk(included, walk, c, state, neverMatch || !outer);
          state.active = outer;
        }
      } else if (d.keyword === 'host') {
        state.active = !neverMatch && hostLineMatches(d, walk.host);
      } else if (d.keyword === 'match') {
        // Evaluated even where it cannot apply, as ssh does: a bad line is an error, and `exec` runs.
        const applies = matchLineApplies(d, this.matchContext(walk, c));
        state.active = !neverMatch && applies;
      } else {
        this.apply(d, c, state.active && !neverMatch);
      }
    }
  }

  private apply(s: Setting, c: Collected, active: boolean): void {
    const keyword = ALIASES[s.keyword] ?? s.keyword;
    const handler = HONOURED[keyword];
    const reason = NOT_HONOURED[keyword];
    if (handler) {
      handler(s, active, c);
    } else if (reason !== undefined) {
      if (active) c.ignored.push({ keyword: s.spelled, args: s.args, file: s.file, line: s.line, reason });
    } else if (!DEAD_KEYWORDS.has(keyword)) {
      const ignoreUnknown = c.ignoreUnknown?.value;
      if (ignoreUnknown === undefined || matchPatternList(s.keyword, ignoreUnknown, true) !== 1) {
        fail(s, `bad configuration option "${s.spelled}" (not an OpenSSH client keyword; see man ssh_config)`);
      }
    }
  }

  /** What a Match line sees: the configuration as far as it has been read (match_cfg_line). */
  private matchContext(walk: Walk, c: Collected) {
    const host = walk.finalPass ? c.hostName!.value : expandedHostNameText(c, walk.alias);
    const user = walk.overrides.user ?? c.user?.value ?? this.options.localUser;
    const port = walk.overrides.port ?? c.port?.value ?? DEFAULT_PORT;
    return {
      host,
      originalHost: walk.alias,
      user,
      localUser: this.options.localUser,
      finalPass: walk.finalPass,
      tokens: this.tokens({ alias: walk.alias, hostName: host, user, port, keyAlias: c.hostKeyAlias?.value ?? host }),
      wantFinalPass: () => {
        walk.wantFinalPass = true;
      },
    };
  }

  /** The %-tokens of OpenSSH's DEFAULT_CLIENT_PERCENT_EXPAND_ARGS. */
  private tokens(t: { alias: string; hostName: string; user: string; port: number; keyAlias: string }): Record<string, string> {
    const localName = hostname();
    return {
      C: createHash('sha1').update(`${localName}${t.hostName}${t.port}${t.user}`).digest('hex'),
      L: localName.split('.')[0]!,
      i: String(process.getuid?.() ?? 0),
      k: t.keyAlias,
      l: localName,
      n: t.alias,
      p: String(t.port),
      d: this.options.home,
      h: t.hostName,
      r: t.user,
      u: this.options.localUser,
    };
  }

  /** Defaults, command-line values and expansions, as ssh.c applies them once the files are read. */
  private settle(alias: string, hostName: string, overrides: HostOverrides, c: Collected): ResolvedHost {
    const { home, localUser, env } = this.options;
    const user = overrides.user ?? c.user?.value ?? localUser;
    const port = overrides.port ?? c.port?.value ?? DEFAULT_PORT;
    const hostKeyAlias = c.hostKeyAlias?.value ?? null;
    const tokens = this.tokens({ alias, hostName, user, port, keyAlias: hostKeyAlias ?? alias });
    const expandPath = (at: At<string>): string => expandAt(at, tokens, env, home);
    const expandEach = (at: At<string[]>): string[] => at.value.map((value) => expandPath({ ...at, value }));
    const explicitIdentities = c.identityFiles.filter((f) => f.value.toLowerCase() !== 'none');
    const attempts = c.connectionAttempts;
    if (attempts !== undefined && attempts.value <= 0) fail(attempts, 'ConnectionAttempts must be at least 1');

    return {
      alias,
      hostName,
      user,
      port,
      route: route(c, { alias, hostName, port, user, keyAlias: hostKeyAlias ?? alias }),
      identityFiles:
        c.identityFiles.length > 0 ? explicitIdentities.map(expandPath) : DEFAULT_IDENTITY_FILES.map((f) => expandTilde(f, home)),
      identityFilesConfigured: c.identityFiles.length > 0,
      identitiesOnly: c.identitiesOnly?.value ?? false,
      identityAgent: agentSocket(c.identityAgent, expandPath, env),
      userKnownHostsFiles: c.userKnownHostsFiles ? expandEach(c.userKnownHostsFiles) : DEFAULT_USER_KNOWN_HOSTS.map((f) => expandTilde(f, home)),
      // ssh expands only `~` in GlobalKnownHostsFile.
      globalKnownHostsFiles: c.globalKnownHostsFiles
        ? c.globalKnownHostsFiles.value.map((value) => expandAt({ ...c.globalKnownHostsFiles!, value }, null, undefined, home))
        : DEFAULT_GLOBAL_KNOWN_HOSTS,
      strictHostKeyChecking: c.strictHostKeyChecking?.value ?? 'ask',
      hashKnownHosts: c.hashKnownHosts?.value ?? false,
      hostKeyAlias,
      checkHostIp: c.checkHostIp?.value ?? false,
      // Used as written, as ssh 9.2 does.
      revokedHostKeys: c.revokedHostKeys && c.revokedHostKeys.value.toLowerCase() !== 'none' ? c.revokedHostKeys.value : null,
      fingerprintHash: c.fingerprintHash?.value ?? 'sha256',
      connectTimeout: c.connectTimeout?.value ?? null,
      connectionAttempts: attempts?.value ?? 1,
      // Debian's OpenSSH sends keepalives every 300 s in batch mode unless told otherwise.
      serverAliveInterval: c.serverAliveInterval?.value ?? (c.batchMode?.value ? 300 : 0),
      serverAliveCountMax: c.serverAliveCountMax?.value ?? 3,
      tcpKeepAlive: c.tcpKeepAlive?.value ?? true,
      addressFamily: overrides.addressFamily ?? c.addressFamily?.value ?? 'any',
      bindAddress: c.bindAddress?.value ?? null,
      algorithms: {
        ciphers: assembled('ciphers', c.ciphers),
        macs: assembled('macs', c.macs),
        kexalgorithms: assembled('kexalgorithms', c.kexAlgorithms),
        hostkeyalgorithms: assembled('hostkeyalgorithms', c.hostKeyAlgorithms),
      },
      hostKeyAlgorithmsConfigured: c.hostKeyAlgorithms !== undefined,
      compression: c.compression?.value ?? false,
      batchMode: c.batchMode?.value ?? false,
      preferredAuthentications: (c.preferredAuthentications?.value ?? DEFAULT_PREFERRED_AUTHENTICATIONS).split(','),
      pubkeyAuthentication: c.pubkeyAuthentication?.value ?? true,
      passwordAuthentication: c.passwordAuthentication?.value ?? true,
      kbdInteractiveAuthentication: c.kbdInteractiveAuthentication?.value ?? true,
      numberOfPasswordPrompts: c.numberOfPasswordPrompts?.value ?? 3,
      ignored: c.ignored,
    };
  }
}

/** HostName with %h replaced by the host as typed (only %h and %% are known there). */
function expandedHostNameText(c: Collected, alias: string): string {
  return c.hostName === undefined ? alias : expandAt(c.hostName, { h: alias });
}

/** The host connected to: addresses are kept as written, names are lower-cased (ssh.c). */
function expandedHostName(c: Collected, alias: string): string {
  const text = expandedHostNameText(c, alias);
  return isIP(text) ? text : text.toLowerCase();
}

function route(c: Collected, t: { alias: string; hostName: string; port: number; user: string; keyAlias: string }): HostRoute {
  const proxy = c.proxy;
  if (proxy === undefined || proxy.value.kind === 'none') return { kind: 'direct' };
  if (proxy.value.kind === 'jump') {
    const last = proxy.value.hops.at(-1)!;
    if (last.host === t.hostName && (last.port ?? DEFAULT_PORT) === t.port && (last.user ?? t.user) === t.user) {
      fail(proxy, `jumphost loop via ${last.host}: ProxyJump names the host itself`);
    }
    return { kind: 'jump', hops: proxy.value.hops };
  }
  // ssh runs the command with `exec` in front, so the shell is replaced by it.
  const tokens = { h: t.hostName, k: t.keyAlias, n: t.alias, p: String(t.port), r: t.user };
  return { kind: 'command', command: `exec ${expandAt({ ...proxy, value: proxy.value.command }, tokens)}` };
}

function assembled(kind: AlgorithmKind, spec: At<string> | undefined): string[] {
  try {
    return assembleAlgorithms(kind, spec?.value);
  } catch (err) {
    return fail(spec!, (err as Error).message);
  }
}

/** A `Host` line applies when a pattern matches the host and no negated one does. */
function hostLineMatches(s: Setting, host: string): boolean {
  if (s.args.some((a) => a === '')) fail(s, 'Host has an empty pattern');
  let matched = false;
  for (const arg of s.args) {
    const negated = arg.startsWith('!');
    if (matchPattern(host, negated ? arg.slice(1) : arg)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Tilde, then tokens (when given) and ${VAR} (when env is given), with errors naming the setting's line. */
function expandAt(at: At<string>, tokens: Record<string, string> | null, env?: NodeJS.ProcessEnv, home?: string): string {
  try {
    const path = home === undefined ? at.value : expandTilde(at.value, home);
    return tokens === null ? path : expandTokens(path, tokens, env);
  } catch (err) {
    if (err instanceof ExpansionError) fail(at, `cannot expand "${at.value}": ${err.message}`);
    throw err;
  }
}

/** IdentityAgent as ssh.c reads it: `none`, `SSH_AUTH_SOCK`, `$VAR`, or a socket path. */
function agentSocket(setting: At<string> | undefined, expandPath: (at: At<string>) => string, env: NodeJS.ProcessEnv): string | null {
  if (setting === undefined || setting.value === 'SSH_AUTH_SOCK') return env['SSH_AUTH_SOCK'] || null;
  if (setting.value === 'none') return null;
  if (/^\$[^{]/.test(setting.value)) return env[setting.value.slice(1)] || null;
  return expandPath(setting);
}
