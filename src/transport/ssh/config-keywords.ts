// The ssh_config vocabulary of OpenSSH 9.2 (Debian build) and what relaysync
// does with each word: the keywords it honours, with their values checked as
// readconf.c checks them (on every line, also in blocks that do not apply);
// the keywords it does not act on, each with the reason a user is told; and
// the ones OpenSSH itself no longer acts on.
import { invalidAlgorithmSpec, type AlgorithmKind } from './algorithms.js';
import { fail, type Origin, type Setting } from './config-files.js';
import { parseJumpHosts, type JumpHop } from './jump-hosts.js';

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new';
export type AddressFamily = 'any' | 'inet' | 'inet6';
/** One address family only, as -4/-6 ask. */
export type IpFamily = Exclude<AddressFamily, 'any'>;
export type FingerprintHash = 'sha256' | 'md5';

/** ProxyCommand and ProxyJump share one slot: whichever applies first wins, and `none` of either stops both. */
export type ProxySetting =
  | { readonly kind: 'none' }
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'jump'; readonly hops: readonly JumpHop[] };

export type At<T> = Origin & { readonly value: T };

/** A line of the configuration that applied to the host but that relaysync does not act on. */
export interface IgnoredSetting {
  readonly keyword: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
  /** Why relaysync does not act on it, and what to do instead when there is something. */
  readonly reason: string;
}

/** The first value obtained for each honoured keyword while walking the files. */
export interface Collected {
  hostName?: At<string>;
  user?: At<string>;
  port?: At<number>;
  identityFiles: At<string>[];
  identitiesOnly?: At<boolean>;
  identityAgent?: At<string>;
  userKnownHostsFiles?: At<string[]>;
  globalKnownHostsFiles?: At<string[]>;
  strictHostKeyChecking?: At<StrictHostKeyChecking>;
  hashKnownHosts?: At<boolean>;
  hostKeyAlias?: At<string>;
  checkHostIp?: At<boolean>;
  revokedHostKeys?: At<string>;
  fingerprintHash?: At<FingerprintHash>;
  connectTimeout?: At<number | null>;
  connectionAttempts?: At<number>;
  serverAliveInterval?: At<number>;
  serverAliveCountMax?: At<number>;
  tcpKeepAlive?: At<boolean>;
  addressFamily?: At<AddressFamily>;
  bindAddress?: At<string>;
  proxy?: At<ProxySetting>;
  ciphers?: At<string>;
  macs?: At<string>;
  kexAlgorithms?: At<string>;
  hostKeyAlgorithms?: At<string>;
  compression?: At<boolean>;
  batchMode?: At<boolean>;
  preferredAuthentications?: At<string>;
  pubkeyAuthentication?: At<boolean>;
  passwordAuthentication?: At<boolean>;
  kbdInteractiveAuthentication?: At<boolean>;
  numberOfPasswordPrompts?: At<number>;
  ignoreUnknown?: At<string>;
  ignored: IgnoredSetting[];
}

type StoredKey = Exclude<keyof Collected, 'identityFiles' | 'ignored'>;

/** Parses a keyword's arguments (always) and stores the value when the line applies and nothing was stored before. */
type Handler = (s: Setting, apply: boolean, c: Collected) => void;

const into =
  <K extends StoredKey>(key: K, parse: (s: Setting) => NonNullable<Collected[K]>['value']): Handler =>
  (s, apply, c) => {
    const value = parse(s);
    if (apply && c[key] === undefined) (c as Record<K, unknown>)[key] = { file: s.file, line: s.line, value };
  };

const YES_NO = { yes: true, true: true, no: false, false: false } as const;
const STRICT = { yes: 'yes', true: 'yes', no: 'no', false: 'no', off: 'no', ask: 'ask', 'accept-new': 'accept-new' } as const;
const PUBKEY = { yes: true, true: true, unbound: true, 'host-bound': true, no: false, false: false } as const;
const COMPRESSION = { yes: true, no: false } as const;
const FAMILY = { any: 'any', inet: 'inet', inet6: 'inet6' } as const;
const FINGERPRINT = { sha256: 'sha256', md5: 'md5' } as const;

const single = (s: Setting): string => {
  if (s.args.length === 0 || s.args[0] === '') fail(s, `missing argument for ${s.spelled}`);
  if (s.args.length > 1) fail(s, `${s.spelled} takes one argument; extra arguments at end of line: ${s.args.slice(1).join(' ')}`);
  return s.args[0]!;
};

const choice =
  <T>(choices: Readonly<Record<string, T>>) =>
  (s: Setting): T => {
    const text = single(s);
    const value = choices[text.toLowerCase()];
    if (value === undefined) fail(s, `unsupported value "${text}" for ${s.spelled}: use one of ${Object.keys(choices).join(', ')}`);
    return value;
  };

const port = (s: Setting): number => {
  const text = single(s);
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 65535)) fail(s, `bad port "${text}": give a number from 1 to 65535`);
  return value;
};

/** atoi_err(): a whole number from 0 to INT_MAX. */
const integer = (s: Setting): number => {
  const text = single(s);
  if (!/^\d+$/.test(text) || Number(text) > 0x7fffffff) fail(s, `integer value "${text}" for ${s.spelled} is invalid`);
  return Number(text);
};

/** convtime(): a sum of numbers, each with an optional unit s, m, h, d or w. */
function seconds(s: Setting, text: string): number {
  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const parts = text.match(/\d+[smhdw]?/gi);
  if (parts === null || parts.join('') !== text) fail(s, `invalid time value "${text}" for ${s.spelled} (e.g. 30, 1m30s, none)`);
  return parts.reduce((sum, p) => sum + parseInt(p, 10) * units[p.replace(/^\d+/, '').toLowerCase()]!, 0);
}

/** A time, or `none`: null for ConnectTimeout (the system's own), 0 for ServerAliveInterval (off). */
const time =
  (none: number | null) =>
  (s: Setting): number | null => {
    const text = single(s);
    return text === 'none' ? none : seconds(s, text);
  };

const fileList = (s: Setting): string[] => {
  if (s.args.length === 0) fail(s, `missing argument for ${s.spelled}`);
  if (s.args.some((a) => a === '')) fail(s, `${s.spelled} has an empty argument`);
  const none = s.args.findIndex((a) => a.toLowerCase() === 'none');
  if (none >= 0 && s.args.length > 1) fail(s, `${s.spelled} "none" must appear alone`);
  return none >= 0 ? [] : [...s.args];
};

const agentValue = (s: Setting): string => {
  const text = single(s);
  if (/^\$[^{]/.test(text) && !/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(text)) fail(s, `invalid environment variable name ${text}`);
  return text;
};

const algorithms =
  (kind: AlgorithmKind) =>
  (s: Setting): string => {
    const text = single(s);
    const problem = invalidAlgorithmSpec(kind, text);
    if (problem !== null) fail(s, problem);
    return text;
  };

/** ProxyCommand and ProxyJump take the rest of the line as written, less a leading `=` and blanks. */
const commandText = (s: Setting): string => s.rest.replace(/^[\s=]+/, '');

const proxyCommand = (s: Setting): ProxySetting => {
  const command = commandText(s);
  if (command === '') fail(s, `missing argument for ${s.spelled}`);
  return command.toLowerCase() === 'none' ? { kind: 'none' } : { kind: 'command', command };
};

const proxyJump = (s: Setting): ProxySetting => {
  try {
    const hops = parseJumpHosts(commandText(s));
    return hops === null ? { kind: 'none' } : { kind: 'jump', hops };
  } catch (err) {
    return fail(s, (err as Error).message);
  }
};

/** Keywords relaysync acts on. */
export const HONOURED: Readonly<Record<string, Handler>> = {
  hostname: into('hostName', single),
  user: into('user', single),
  port: into('port', port),
  identityfile: (s, apply, c) => {
    const path = single(s);
    if (apply) c.identityFiles.push({ file: s.file, line: s.line, value: path });
  },
  identitiesonly: into('identitiesOnly', choice(YES_NO)),
  identityagent: into('identityAgent', agentValue),
  userknownhostsfile: into('userKnownHostsFiles', fileList),
  globalknownhostsfile: into('globalKnownHostsFiles', fileList),
  stricthostkeychecking: into('strictHostKeyChecking', choice(STRICT)),
  hashknownhosts: into('hashKnownHosts', choice(YES_NO)),
  hostkeyalias: into('hostKeyAlias', (s) => single(s).toLowerCase()),
  checkhostip: into('checkHostIp', choice(YES_NO)),
  revokedhostkeys: into('revokedHostKeys', single),
  fingerprinthash: into('fingerprintHash', choice(FINGERPRINT)),
  connecttimeout: into('connectTimeout', time(null)),
  connectionattempts: into('connectionAttempts', integer),
  serveraliveinterval: into('serverAliveInterval', (s) => time(0)(s)!),
  serveralivecountmax: into('serverAliveCountMax', integer),
  tcpkeepalive: into('tcpKeepAlive', choice(YES_NO)),
  addressfamily: into('addressFamily', choice(FAMILY)),
  bindaddress: into('bindAddress', single),
  proxycommand: into('proxy', proxyCommand),
  proxyjump: into('proxy', proxyJump),
  ciphers: into('ciphers', algorithms('ciphers')),
  macs: into('macs', algorithms('macs')),
  kexalgorithms: into('kexAlgorithms', algorithms('kexalgorithms')),
  hostkeyalgorithms: into('hostKeyAlgorithms', algorithms('hostkeyalgorithms')),
  compression: into('compression', choice(COMPRESSION)),
  batchmode: into('batchMode', choice(YES_NO)),
  preferredauthentications: into('preferredAuthentications', single),
  pubkeyauthentication: into('pubkeyAuthentication', choice(PUBKEY)),
  passwordauthentication: into('passwordAuthentication', choice(YES_NO)),
  kbdinteractiveauthentication: into('kbdInteractiveAuthentication', choice(YES_NO)),
  numberofpasswordprompts: into('numberOfPasswordPrompts', integer),
  ignoreunknown: into('ignoreUnknown', single),
};

/** Other spellings OpenSSH accepts for a keyword. */
export const ALIASES: Readonly<Record<string, string>> = {
  identityfile2: 'identityfile',
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  skeyauthentication: 'kbdinteractiveauthentication',
  tisauthentication: 'kbdinteractiveauthentication',
  dsaauthentication: 'pubkeyauthentication',
  keepalive: 'tcpkeepalive',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedkeytypes: 'hostbasedacceptedalgorithms',
  smartcarddevice: 'pkcs11provider',
  // Debian's own names for it.
  protocolkeepalives: 'serveraliveinterval',
  setuptimeout: 'serveraliveinterval',
};

const USE_RSH = 'use -e ssh to have OpenSSH do it';
const NO_SESSION = 'relaysync runs rsync on the host itself and opens no interactive session';
const NO_FORWARDING = 'relaysync sets up no port forwarding';
const NO_CANONICAL = `relaysync does not canonicalize host names; ${USE_RSH}`;
const NO_CERTIFICATES = `relaysync's SSH client cannot use certificates; ${USE_RSH}`;
const NO_HARDWARE = `relaysync's SSH client cannot use hardware keys; ${USE_RSH}`;
const NO_GSSAPI = `relaysync's SSH client has no GSSAPI (Kerberos); ${USE_RSH}`;
const OWN_OUTPUT = "relaysync's messages follow its own -v";

/** Keywords OpenSSH acts on and relaysync does not, with what the user is told. */
export const NOT_HONOURED: Readonly<Record<string, string>> = {
  addkeystoagent: 'relaysync never adds keys to the agent',
  bindinterface: 'Node.js cannot bind a connection to an interface; use BindAddress',
  canonicaldomains: NO_CANONICAL,
  canonicalizefallbacklocal: NO_CANONICAL,
  canonicalizehostname: NO_CANONICAL,
  canonicalizemaxdots: NO_CANONICAL,
  canonicalizepermittedcnames: NO_CANONICAL,
  casignaturealgorithms: NO_CERTIFICATES,
  certificatefile: NO_CERTIFICATES,
  clearallforwardings: NO_FORWARDING,
  controlmaster: `relaysync keeps one connection per host of its own and does not share OpenSSH's; ${USE_RSH}`,
  controlpath: `relaysync keeps one connection per host of its own and does not share OpenSSH's; ${USE_RSH}`,
  controlpersist: `relaysync keeps one connection per host of its own and does not share OpenSSH's; ${USE_RSH}`,
  dynamicforward: NO_FORWARDING,
  enableescapecommandline: NO_SESSION,
  enablesshkeysign: `relaysync's SSH client has no host-based authentication; ${USE_RSH}`,
  escapechar: NO_SESSION,
  exitonforwardfailure: NO_FORWARDING,
  forkafterauthentication: NO_SESSION,
  forwardagent: 'relaysync never forwards your agent',
  forwardx11: 'relaysync never forwards X11',
  forwardx11timeout: 'relaysync never forwards X11',
  forwardx11trusted: 'relaysync never forwards X11',
  gatewayports: NO_FORWARDING,
  gssapiauthentication: NO_GSSAPI,
  gssapiclientidentity: NO_GSSAPI,
  gssapidelegatecredentials: NO_GSSAPI,
  gssapikexalgorithms: NO_GSSAPI,
  gssapikeyexchange: NO_GSSAPI,
  gssapirenewalforcesrekey: NO_GSSAPI,
  gssapiserveridentity: NO_GSSAPI,
  gssapitrustdns: NO_GSSAPI,
  hostbasedacceptedalgorithms: `relaysync's SSH client has no host-based authentication; ${USE_RSH}`,
  hostbasedauthentication: `relaysync's SSH client has no host-based authentication; ${USE_RSH}`,
  ipqos: 'Node.js cannot set the IP type of service',
  kbdinteractivedevices: 'relaysync asks the server for its default keyboard-interactive devices',
  knownhostscommand: 'relaysync reads host keys from the known_hosts files only',
  localcommand: NO_SESSION,
  localforward: NO_FORWARDING,
  loglevel: OWN_OUTPUT,
  logverbose: OWN_OUTPUT,
  nohostauthenticationforlocalhost: 'relaysync checks the host key of every host, localhost too',
  permitlocalcommand: NO_SESSION,
  permitremoteopen: NO_FORWARDING,
  pkcs11provider: NO_HARDWARE,
  proxyusefdpass: 'relaysync talks to a ProxyCommand through its standard input and output',
  pubkeyacceptedalgorithms: 'relaysync offers every key it has, whatever its type',
  rekeylimit: "relaysync's SSH client rekeys on its own schedule",
  remotecommand: NO_SESSION,
  remoteforward: NO_FORWARDING,
  requesttty: 'relaysync never requests a terminal on the host (rsync must not have one)',
  requiredrsasize: 'relaysync leaves the RSA key size check to the server',
  securitykeyprovider: NO_HARDWARE,
  sendenv: 'relaysync sends no environment variables',
  sessiontype: NO_SESSION,
  setenv: 'relaysync sends no environment variables',
  stdinnull: NO_SESSION,
  streamlocalbindmask: NO_FORWARDING,
  streamlocalbindunlink: NO_FORWARDING,
  syslogfacility: OWN_OUTPUT,
  tunnel: NO_FORWARDING,
  tunneldevice: NO_FORWARDING,
  updatehostkeys: 'relaysync does not learn new host keys from the server; known_hosts changes only when you accept a key',
  verifyhostkeydns: 'relaysync trusts host keys from known_hosts only, not from DNS',
  visualhostkey: 'relaysync shows fingerprints as text only',
  xauthlocation: 'relaysync never forwards X11',
};

/** Keywords OpenSSH 9.2 itself accepts but no longer acts on (deprecated or unsupported). */
export const DEAD_KEYWORDS: ReadonlySet<string> = new Set(
  `protocol cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication userknownhostsfile2 useroaming usersh
  useprivilegedport afstokenpassing kerberosauthentication kerberostgtpassing rsaauthentication
  rhostsrsaauthentication compressionlevel`.split(/\s+/),
);
