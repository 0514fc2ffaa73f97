// ProxyJump values as OpenSSH 9.2 reads them (readconf.c parse_jump, misc.c
// parse_user_host_port and parse_ssh_uri): a comma-separated chain of hops,
// each `[user@]host[:port]` (an IPv6 address in brackets) or
// `ssh://[user@]host[:port]`; `#` starts a comment.

/** One hop of a ProxyJump chain; user and port win over that host's own configuration, as `ssh -l -p` would. */
export interface JumpHop {
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

/** The hops in the order they are connected, or null for `none`. Throws with the reason when the value is malformed. */
export function parseJumpHosts(value: string): JumpHop[] | null {
  const text = value.replace(/#.*$/, '').trim();
  if (text.toLowerCase() === 'none') return null;
  return text.split(',').map((hop) => {
    const parsed = hop.startsWith('ssh://') ? parseSshUri(hop.slice('ssh://'.length)) : parseUserHostPort(hop);
    if (parsed === null) throw new Error(`invalid ProxyJump host "${hop}" (write [user@]host[:port] or ssh://[user@]host[:port])`);
    return parsed;
  });
}

/** A hop as ssh -G prints it. */
export function formatJumpHop(hop: JumpHop): string {
  const host = hop.host.includes(':') ? `[${hop.host}]` : hop.host;
  return `${hop.user === undefined ? '' : `${hop.user}@`}${host}${hop.port === undefined ? '' : `:${hop.port}`}`;
}

function parseUserHostPort(text: string): JumpHop | null {
  const at = text.lastIndexOf('@');
  const user = at < 0 ? undefined : text.slice(0, at);
  if (user === '') return null;
  return hostAndPort(text.slice(at + 1), user, /[:/]/);
}

function parseSshUri(text: string): JumpHop | null {
  const at = text.indexOf('@');
  let user: string | undefined;
  if (at >= 0) {
    // Connection parameters after `;` are ignored, as OpenSSH does.
    user = decodeURIComponent(text.slice(0, at).split(';')[0]!);
    if (user === '') return null;
  }
  const hop = hostAndPort(text.slice(at + 1).replace(/\/.*$/, ''), user, /:/);
  if (hop === null || !validDomain(hop.host)) return null;
  // misc.c valid_domain() drops one trailing dot.
  return { ...hop, host: hop.host.replace(/\.$/, '') };
}

/** A URI's host must look like a domain name (so no IPv6 address), as OpenSSH requires. */
function validDomain(host: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host) && !host.includes('..');
}

/** `host`, `host:port` or `[address]:port` (misc.c hpdelim); `separator` is what may end the host. */
function hostAndPort(text: string, user: string | undefined, separator: RegExp): JumpHop | null {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    host = text.slice(1, close);
    rest = text.slice(close + 1);
    if (rest !== '' && !separator.test(rest[0]!)) return null;
  } else {
    const end = text.search(separator);
    host = end < 0 ? text : text.slice(0, end);
    rest = end < 0 ? '' : text.slice(end);
  }
  if (host === '') return null;
  const portText = rest.slice(1);
  if (portText === '') return { host, ...(user === undefined ? {} : { user }) };
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return null;
  return { host, port, ...(user === undefined ? {} : { user }) };
}
