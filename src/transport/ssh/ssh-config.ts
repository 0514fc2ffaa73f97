// OpenSSH client configuration: reads ~/.ssh/config then /etc/ssh/ssh_config
// (with their Includes) once, and resolves a host alias to the settings
// relaysync acts on, following OpenSSH 9.2's readconf.c: Host blocks select
// by the alias as typed, the first value obtained for a keyword wins
// (IdentityFile accumulates), keywords are case-insensitive.
//
// Parsing keeps every line; resolution walks them. A keyword relaysync does
// not act on yet is listed in `ignored` with its file and line, so adding it
// later means one entry in SETTINGS and one field in ResolvedHost.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ConfigLineError, splitConfigLine } from './config-line.js';
import { ExpansionError, expandTilde, expandTokens } from './expand.js';
import { expandGlob } from './path-glob.js';
import { matchPattern, matchPatternList } from './wildcard.js';

export class SshConfigError extends Error {
  override name = 'SshConfigError';
}

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new';

/** A line of the configuration that applied to the host but that relaysync does not act on. */
export interface IgnoredSetting {
  readonly keyword: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
}

/** What relaysync uses to reach one host, with OpenSSH's defaults filled in and paths expanded. */
export interface ResolvedHost {
  /** The host as the user typed it; Host patterns match this. */
  readonly alias: string;
  /** HostName with %h expanded, lower-cased unless it is an address: what is connected to and looked up in known_hosts. */
  readonly hostName: string;
  readonly user: string;
  readonly port: number;
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
  /** Seconds, or null for the system's own timeout. */
  readonly connectTimeout: number | null;
  readonly hashKnownHosts: boolean;
  readonly ignored: readonly IgnoredSetting[];
}

export interface SshConfigOptions {
  /** The user's home: `~`, %d, and the base of relative user Include paths. */
  readonly home: string;
  /** The local user name: %u, and the default remote user. */
  readonly localUser: string;
  /** For ${VAR} expansion, SSH_AUTH_SOCK and `$VAR` IdentityAgent values. */
  readonly env: NodeJS.ProcessEnv;
  /** Defaults to ~/.ssh/config; null reads none. */
  readonly userConfig?: string | null;
  /** Defaults to /etc/ssh/ssh_config; null reads none. */
  readonly systemConfig?: string | null;
}

interface Origin {
  readonly file: string;
  readonly line: number;
}

interface Setting extends Origin {
  readonly kind: 'setting';
  readonly keyword: string;
  readonly spelled: string;
  readonly args: readonly string[];
}

interface Include extends Origin {
  readonly kind: 'include';
  readonly files: readonly ConfigFile[];
}

interface ConfigFile {
  readonly path: string;
  readonly directives: readonly (Setting | Include)[];
}

type At<T> = Origin & { readonly value: T };

/** The first value obtained for each honoured keyword while walking the files. */
interface Collected {
  hostName?: At<string>;
  user?: At<string>;
  port?: At<number>;
  identityFiles: At<string>[];
  identitiesOnly?: At<boolean>;
  identityAgent?: At<string>;
  userKnownHostsFiles?: At<string[]>;
  globalKnownHostsFiles?: At<string[]>;
  strictHostKeyChecking?: At<StrictHostKeyChecking>;
  connectTimeout?: At<number | null>;
  hashKnownHosts?: At<boolean>;
  ignoreUnknown?: At<string>;
  ignored: IgnoredSetting[];
}

const SYSTEM_DIR = '/etc/ssh';
/** readconf.c's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;
const DEFAULT_PORT = 22;
/** OpenSSH 9.2's default identities, less the kinds ssh2 cannot use (security keys, XMSS, DSA). */
const DEFAULT_IDENTITY_FILES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519'];
const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/**
 * Every client keyword OpenSSH 9.2 (Debian build) accepts and that still has
 * an effect there; relaysync acts on those in SETTINGS and lists the rest as ignored.
 */
const OTHER_KEYWORDS = new Set(
  `addkeystoagent addressfamily batchmode bindaddress bindinterface canonicaldomains canonicalizefallbacklocal
  canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames casignaturealgorithms certificatefile
  challengeresponseauthentication checkhostip ciphers clearallforwardings compression connectionattempts controlmaster
  controlpath controlpersist dsaauthentication dynamicforward enableescapecommandline enablesshkeysign escapechar
  exitonforwardfailure fingerprinthash forkafterauthentication forwardagent forwardx11 forwardx11timeout
  forwardx11trusted gatewayports gssapiauthentication gssapiclientidentity gssapidelegatecredentials gssapikexalgorithms
  gssapikeyexchange gssapirenewalforcesrekey gssapiserveridentity gssapitrustdns hostbasedacceptedalgorithms
  hostbasedauthentication hostbasedkeytypes hostkeyalgorithms hostkeyalias ipqos kbdinteractiveauthentication
  kbdinteractivedevices keepalive kexalgorithms knownhostscommand localcommand localforward loglevel logverbose macs
  match nohostauthenticationforlocalhost numberofpasswordprompts passwordauthentication permitlocalcommand
  permitremoteopen pkcs11provider preferredauthentications proxycommand proxyjump proxyusefdpass
  pubkeyacceptedalgorithms pubkeyacceptedkeytypes pubkeyauthentication rekeylimit remotecommand remoteforward
  requesttty requiredrsasize revokedhostkeys securitykeyprovider sendenv serveralivecountmax serveraliveinterval
  sessiontype setenv skeyauthentication smartcarddevice stdinnull streamlocalbindmask streamlocalbindunlink
  syslogfacility tcpkeepalive tisauthentication tunnel tunneldevice updatehostkeys verifyhostkeydns visualhostkey
  xauthlocation`.split(/\s+/),
);

/** Keywords OpenSSH itself no longer acts on (deprecated, unsupported, or silently ignored). */
const DEAD_KEYWORDS = new Set(
  `protocol cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication userknownhostsfile2 useroaming usersh
  useprivilegedport afstokenpassing kerberosauthentication kerberostgtpassing rsaauthentication
  rhostsrsaauthentication compressionlevel`.split(/\s+/),
);

/** Parses one honoured keyword's arguments (always, as OpenSSH validates inactive lines too) and stores it when `apply`. */
type SettingHandler = (s: Setting, apply: boolean, c: Collected) => void;

const SETTINGS: Record<string, SettingHandler> = {
  hostname: (s, apply, c) => store(c, 'hostName', s, apply, single(s)),
  user: (s, apply, c) => store(c, 'user', s, apply, single(s)),
  port: (s, apply, c) => store(c, 'port', s, apply, parsePort(s)),
  identityfile: (s, apply, c) => {
    const path = single(s);
    if (apply) c.identityFiles.push({ file: s.file, line: s.line, value: path });
  },
  identitiesonly: (s, apply, c) => store(c, 'identitiesOnly', s, apply, parseChoice(s, YES_NO)),
  identityagent: (s, apply, c) => store(c, 'identityAgent', s, apply, parseAgentValue(s)),
  userknownhostsfile: (s, apply, c) => store(c, 'userKnownHostsFiles', s, apply, parseFileList(s)),
  globalknownhostsfile: (s, apply, c) => store(c, 'globalKnownHostsFiles', s, apply, parseFileList(s)),
  stricthostkeychecking: (s, apply, c) => store(c, 'strictHostKeyChecking', s, apply, parseChoice(s, STRICT)),
  connecttimeout: (s, apply, c) => store(c, 'connectTimeout', s, apply, parseTimeout(s)),
  hashknownhosts: (s, apply, c) => store(c, 'hashKnownHosts', s, apply, parseChoice(s, YES_NO)),
  ignoreunknown: (s, apply, c) => store(c, 'ignoreUnknown', s, apply, single(s)),
};
SETTINGS['identityfile2'] = SETTINGS['identityfile']!;

type StoredKey = Exclude<keyof Collected, 'identityFiles' | 'ignored'>;

function store<K extends StoredKey>(
  c: Collected,
  key: K,
  s: Setting,
  apply: boolean,
  value: NonNullable<Collected[K]>['value'],
): void {
  if (apply && c[key] === undefined) (c as Record<K, unknown>)[key] = { file: s.file, line: s.line, value };
}

function fail(where: Origin, reason: string): never {
  throw new SshConfigError(`${where.file} line ${where.line}: ${reason}`);
}

function single(s: Setting): string {
  if (s.args.length === 0 || s.args[0] === '') fail(s, `missing argument for ${s.spelled}`);
  if (s.args.length > 1) fail(s, `${s.spelled} takes one argument; extra arguments at end of line: ${s.args.slice(1).join(' ')}`);
  return s.args[0]!;
}

function parsePort(s: Setting): number {
  const text = single(s);
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) fail(s, `bad port "${text}": give a number from 1 to 65535`);
  return port;
}

const YES_NO = { yes: true, true: true, no: false, false: false } as const;
const STRICT = { yes: 'yes', true: 'yes', no: 'no', false: 'no', off: 'no', ask: 'ask', 'accept-new': 'accept-new' } as const;

function parseChoice<T>(s: Setting, choices: Readonly<Record<string, T>>): T {
  const text = single(s);
  const value = choices[text.toLowerCase()];
  if (value === undefined) fail(s, `unsupported value "${text}" for ${s.spelled}: use one of ${Object.keys(choices).join(', ')}`);
  return value;
}

/** convtime(): a sum of numbers, each with an optional unit s, m, h, d or w; `none` for no timeout. */
function parseTimeout(s: Setting): number | null {
  const text = single(s);
  if (text === 'none') return null;
  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const parts = text.match(/\d+[smhdw]?/gi);
  if (parts === null || parts.join('') !== text) fail(s, `invalid time value "${text}" for ${s.spelled} (e.g. 30, 1m30s, none)`);
  return parts.reduce((sum, p) => sum + parseInt(p, 10) * units[p.replace(/^\d+/, '').toLowerCase()]!, 0);
}

function parseFileList(s: Setting): string[] {
  if (s.args.length === 0) fail(s, `missing argument for ${s.spelled}`);
  if (s.args.some((a) => a === '')) fail(s, `${s.spelled} has an empty argument`);
  const none = s.args.findIndex((a) => a.toLowerCase() === 'none');
  if (none >= 0 && s.args.length > 1) fail(s, `${s.spelled} "none" must appear alone`);
  return none >= 0 ? [] : [...s.args];
}

function parseAgentValue(s: Setting): string {
  const text = single(s);
  if (/^\$[^{]/.test(text) && !/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(text)) fail(s, `invalid environment variable name ${text}`);
  return text;
}

/** Reads and splits one file; null when it does not exist. */
function loadFile(path: string, userFile: boolean, checkOwner: boolean, home: string, depth: number): ConfigFile | null {
  if (depth > MAX_INCLUDE_DEPTH) throw new SshConfigError(`${path}: too many nested Includes (more than ${MAX_INCLUDE_DEPTH}); is there an Include loop?`);
  let text: string;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SshConfigError(`cannot open ssh configuration file ${path}: ${(err as Error).message}`);
  }
  try {
    if (checkOwner) checkOwnership(path, fd);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const directives: (Setting | Include)[] = [];
  text.split('\n').forEach((raw, index) => {
    const where = { file: path, line: index + 1 };
    let parsed;
    try {
      parsed = splitConfigLine(raw);
    } catch (err) {
      if (err instanceof ConfigLineError) fail(where, err.message);
      throw err;
    }
    if (parsed === null) return;
    if (parsed.keyword === 'include') {
      const files = parsed.args.flatMap((arg) => includedPaths(arg, userFile, home, where));
      directives.push({
        kind: 'include',
        ...where,
        files: files.flatMap((f) => loadFile(f, userFile, true, home, depth + 1) ?? []),
      });
    } else {
      directives.push({ kind: 'setting', ...where, ...parsed });
    }
  });
  return { path, directives };
}

/** OpenSSH refuses configuration that someone other than the user or root could have written. */
function checkOwnership(path: string, fd: number): void {
  const st = fstatSync(fd);
  const uid = process.getuid?.() ?? 0;
  if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new SshConfigError(
      `bad owner or permissions on ${path}: it must belong to you or root and not be writable by group or others (chmod go-w ${path})`,
    );
  }
}

/** An Include argument: relative paths live in ~/.ssh for user files and /etc/ssh for system files. */
function includedPaths(arg: string, userFile: boolean, home: string, where: Origin): string[] {
  if (arg === '') fail(where, 'Include has an empty argument');
  if (arg.startsWith('~') && !userFile) fail(where, `bad include path ${arg}: "~" is only allowed in user configuration`);
  let pattern = isAbsolute(arg) || arg.startsWith('~') ? arg : join(userFile ? '~/.ssh' : SYSTEM_DIR, arg);
  try {
    pattern = expandTilde(pattern, home);
  } catch (err) {
    if (err instanceof ExpansionError) fail(where, `Include ${arg}: ${err.message}`);
    throw err;
  }
  return expandGlob(pattern);
}

export class SshConfig {
  private constructor(
    private readonly files: readonly ConfigFile[],
    private readonly options: SshConfigOptions,
  ) {}

  /** Reads the user and system configuration (and everything they Include). Throws SshConfigError. */
  static load(options: SshConfigOptions): SshConfig {
    const userPath = options.userConfig === undefined ? join(options.home, '.ssh', 'config') : options.userConfig;
    const systemPath = options.systemConfig === undefined ? join(SYSTEM_DIR, 'ssh_config') : options.systemConfig;
    const files = [
      userPath === null ? null : loadFile(userPath, true, true, options.home, 0),
      systemPath === null ? null : loadFile(systemPath, false, false, options.home, 0),
    ];
    return new SshConfig(
      files.filter((f): f is ConfigFile => f !== null),
      options,
    );
  }

  /**
   * The settings for `alias` (the host as typed). `user` and `port` come from
   * the command line (user@host, a port option) and win over the files, as in ssh.
   */
  resolveHost(alias: string, overrides: { user?: string; port?: number } = {}): ResolvedHost {
    const c: Collected = { identityFiles: [], ignored: [] };
    for (const file of this.files) this.walk(file, alias, c, { active: true }, false);

    const { home, localUser, env } = this.options;
    const hostNameText = c.hostName === undefined ? alias : expandAt(c.hostName, { h: alias });
    const hostName = isIP(hostNameText) ? hostNameText : hostNameText.toLowerCase();
    const user = overrides.user ?? c.user?.value ?? localUser;
    const port = overrides.port ?? c.port?.value ?? DEFAULT_PORT;
    const localName = hostname();
    const tokens: Record<string, string> = {
      C: createHash('sha1').update(`${localName}${hostName}${port}${user}`).digest('hex'),
      L: localName.split('.')[0]!,
      i: String(process.getuid?.() ?? 0),
      k: alias,
      l: localName,
      n: alias,
      p: String(port),
      d: home,
      h: hostName,
      r: user,
      u: localUser,
    };
    const expandPath = (at: At<string>): string => expandAt(at, tokens, env, home);
    const explicitIdentities = c.identityFiles.filter((f) => f.value.toLowerCase() !== 'none');

    return {
      alias,
      hostName,
      user,
      port,
      identityFiles:
        c.identityFiles.length > 0 ? explicitIdentities.map(expandPath) : DEFAULT_IDENTITY_FILES.map((f) => expandTilde(f, home)),
      identityFilesConfigured: c.identityFiles.length > 0,
      identitiesOnly: c.identitiesOnly?.value ?? false,
      identityAgent: agentSocket(c.identityAgent, expandPath, env),
      userKnownHostsFiles: c.userKnownHostsFiles
        ? c.userKnownHostsFiles.value.map((value) => expandPath({ ...c.userKnownHostsFiles!, value }))
        : DEFAULT_USER_KNOWN_HOSTS.map((f) => expandTilde(f, home)),
      globalKnownHostsFiles: c.globalKnownHostsFiles
        ? c.globalKnownHostsFiles.value.map((value) => expandAt({ ...c.globalKnownHostsFiles!, value }, null, undefined, home))
        : DEFAULT_GLOBAL_KNOWN_HOSTS,
      strictHostKeyChecking: c.strictHostKeyChecking?.value ?? 'ask',
      connectTimeout: c.connectTimeout?.value ?? null,
      hashKnownHosts: c.hashKnownHosts?.value ?? false,
      ignored: c.ignored,
    };
  }

  /**
   * One file in OpenSSH's order. `state.active` is shared with included
   * files, as readconf.c shares *activep; an Include read while inactive
   * can never apply (SSHCONF_NEVERMATCH).
   */
  private walk(file: ConfigFile, alias: string, c: Collected, state: { active: boolean }, neverMatch: boolean): void {
    for (const d of file.directives) {
      if (d.kind === 'include') {
        const outer = state.active;
        for (const included of d.files) {
          this.walk(included, alias, c, state, neverMatch || !outer);
          state.active = outer;
        }
      } else if (d.keyword === 'host') {
        state.active = !neverMatch && hostLineMatches(d, alias);
      } else if (d.keyword === 'match') {
        // Not evaluated yet: its block is treated as not applying, and said so.
        if (!neverMatch) c.ignored.push(ignoredFrom(d));
        state.active = false;
      } else {
        this.apply(d, c, state.active && !neverMatch);
      }
    }
  }

  private apply(s: Setting, c: Collected, active: boolean): void {
    const handler = SETTINGS[s.keyword];
    if (handler) handler(s, active, c);
    else if (OTHER_KEYWORDS.has(s.keyword)) {
      if (active) c.ignored.push(ignoredFrom(s));
    } else if (!DEAD_KEYWORDS.has(s.keyword)) {
      const ignoreUnknown = c.ignoreUnknown?.value;
      if (ignoreUnknown === undefined || matchPatternList(s.keyword, ignoreUnknown, true) !== 1) {
        fail(s, `bad configuration option "${s.spelled}" (not an OpenSSH client keyword; see man ssh_config)`);
      }
    }
  }
}

/** A `Host` line applies when a pattern matches the alias and no negated one does. */
function hostLineMatches(s: Setting, alias: string): boolean {
  if (s.args.some((a) => a === '')) fail(s, 'Host has an empty pattern');
  let matched = false;
  for (const arg of s.args) {
    const negated = arg.startsWith('!');
    if (matchPattern(alias, negated ? arg.slice(1) : arg)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function ignoredFrom(s: Setting): IgnoredSetting {
  return { keyword: s.spelled, args: s.args, file: s.file, line: s.line };
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
function agentSocket(
  setting: At<string> | undefined,
  expandPath: (at: At<string>) => string,
  env: NodeJS.ProcessEnv,
): string | null {
  if (setting === undefined || setting.value === 'SSH_AUTH_SOCK') return env['SSH_AUTH_SOCK'] || null;
  if (setting.value === 'none') return null;
  if (/^\$[^{]/.test(setting.value)) return env[setting.value.slice(1)] || null;
  return expandPath(setting);
}
