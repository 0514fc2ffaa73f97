// Reads SRC... DEST the way rsync does (options.c check_for_hostspec, main.c
// start_client), except that both sides may be remote: relaysync reaches
// each host itself and relays between them.
import { CliError } from './cli-error.js';
import type { RsyncOptions } from './rsync-options.js';
import type { Side } from '../transport/server-process.js';

export type Endpoint =
  | { readonly kind: 'local'; readonly paths: readonly string[] }
  | { readonly kind: 'remote'; readonly user?: string; readonly host: string; readonly paths: readonly string[] };

export interface Endpoints {
  /** Every SRC, all on one host. */
  readonly sources: Endpoint;
  /** DEST: exactly one path; none when a lone SRC is to be listed. */
  readonly dest: Endpoint | undefined;
}

/** One operand: a local path, or `[USER@]HOST:PATH` with HOST empty in the `:PATH` shorthand. */
export type Operand =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'remote'; readonly user?: string; readonly host: string; readonly path: string };

export function parseEndpoints(operands: readonly string[]): Endpoints {
  if (operands.length === 0) throw new CliError('no SRC and DEST given (relaysync --help shows the usage)');
  // A lone SRC is listed, as rsync lists it.
  if (operands.length === 1) return { sources: sourcesOf(operands), dest: undefined };
  const words = operands.slice(0, -1);
  const destWord = operands[operands.length - 1]!;
  return { sources: sourcesOf(words), dest: destOf(destWord) };
}

function sourcesOf(words: readonly string[]): Endpoint {
  const [first, ...more] = words.map((word) => ({ word, operand: readOperand(word) }));
  const { word: firstWord, operand: origin } = first!;
  if (origin.kind === 'local') {
    for (const { word, operand } of [first!, ...more]) {
      if (operand.kind === 'remote') {
        throw new CliError(`SRC ${word} is remote but SRC ${firstWord} is local: all SRC args must be on one host`);
      }
      if (operand.path === '') throw new CliError('empty SRC argument');
    }
    return { kind: 'local', paths: words };
  }
  checkHost(firstWord, origin);
  const paths = [origin.path];
  for (const { word, operand } of more) {
    if (operand.kind === 'local') {
      throw new CliError(
        `SRC ${word} is local but SRC ${firstWord} is remote: all SRC args must be on one host.\nFor a path on that host, write :${word}`,
      );
    }
    // `host:a :b` is rsync's shorthand for `host:a host:b`.
    const shorthand = word.startsWith(':');
    if (!shorthand && (operand.host !== origin.host || operand.user !== origin.user)) {
      throw new CliError(`SRC ${word} is not on the same host as SRC ${firstWord}: all SRC args must be on one host`);
    }
    paths.push(operand.path);
  }
  return remote(origin, paths);
}

function destOf(word: string): Endpoint {
  const operand = readOperand(word);
  if (operand.kind === 'local') {
    if (operand.path === '') throw new CliError('empty DEST argument (use "." for the current directory)');
    return { kind: 'local', paths: [operand.path] };
  }
  if (word.startsWith(':')) {
    // rsync would read it as one more SRC to list.
    throw new CliError(`DEST ${word} names no host: a leading ':' repeats the SRC host for further SRC args only`);
  }
  checkHost(word, operand);
  return remote(operand, [operand.path]);
}

function remote(operand: Operand & { kind: 'remote' }, paths: readonly string[]): Endpoint {
  // An empty remote path is the login directory, which rsync spells `.`.
  const named = paths.map((p) => (p === '' ? '.' : p));
  const { user, host } = operand;
  return user === undefined ? { kind: 'remote', host, paths: named } : { kind: 'remote', user, host, paths: named };
}

function checkHost(word: string, operand: Operand & { kind: 'remote' }): void {
  if (operand.host === '') throw new CliError(`${word} names no host before the ':'`);
  if (operand.host.startsWith('-')) throw new CliError(`${word}: hostnames may not start with '-'`);
  if (operand.user === '') throw new CliError(`${word} has an empty user name before the '@'`);
}

/**
 * Whether a word names a remote path, as rsync's check_for_hostspec decides:
 * a `:` before any `/` makes it remote; `[...]` around the host holds an IPv6
 * address; the last `@` before the host ends the user name. `HOST::MODULE`
 * and `rsync://` mean an rsync daemon, which relaysync does not reach yet.
 */
export function readOperand(word: string): Operand {
  if (/^rsync:\/\//i.test(word)) throw daemonSyntax(word);
  let hostStart = 0;
  let host: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i];
    if (ch === '/') break;
    if (ch === ':') {
      const path = word.slice(i + 1);
      if (path.startsWith(':')) throw daemonSyntax(word);
      host ??= word.slice(hostStart, i);
      const user = hostStart > 0 ? word.slice(0, hostStart - 1) : undefined;
      return user === undefined ? { kind: 'remote', host, path } : { kind: 'remote', user, host, path };
    }
    if (ch === '@') {
      hostStart = i + 1;
    } else if (ch === '[') {
      // Brackets count only around a whole host, followed by ':', '/' or the end.
      if (i !== hostStart) break;
      const close = word.slice(i).search(/[\]/]/);
      if (close <= 1 || word[i + close] !== ']') break;
      const after = word[i + close + 1];
      if (after !== undefined && after !== ':' && after !== '/') break;
      host = word.slice(i + 1, i + close);
      i += close;
    }
  }
  return { kind: 'local', path: word };
}

function daemonSyntax(word: string): CliError {
  return new CliError(`${word}: rsync daemon syntax (HOST::MODULE, rsync://) is not supported yet.\nUse HOST:PATH to go through SSH.`);
}

/**
 * Which server reads a --files-from list itself: the one on the host that
 * --files-from=HOST:FILE names (the source when both ends are that host);
 * undefined for a list relaysync reads (a local file or standard input).
 * As in rsync, `:FILE` means the remote end, and the host must be one of
 * the transfer's.
 */
export function filesFromSide(options: RsyncOptions, endpoints: Endpoints): Side | undefined {
  const host = options.filesfromHost;
  if (host === undefined) return undefined;
  const remote = (['source', 'dest'] as const).filter((side) => sideOf(endpoints, side)?.kind === 'remote');
  if (remote.length === 0) throw new CliError('--files-from cannot be remote when the transfer is local');
  if (host === '') {
    if (remote.length > 1) throw new CliError('--files-from=:FILE names no host, and both ends are remote: write HOST:FILE');
    return remote[0];
  }
  const side = remote.find((s) => hostspec(sideOf(endpoints, s)) === host);
  if (side === undefined) throw new CliError('--files-from hostname is not the same as the transfer hostname');
  return side;
}

function sideOf(endpoints: Endpoints, side: Side): Endpoint | undefined {
  return side === 'source' ? endpoints.sources : endpoints.dest;
}

/** `[USER@]HOST`, as rsync compares hosts. */
function hostspec(endpoint: Endpoint | undefined): string | undefined {
  if (endpoint === undefined || endpoint.kind === 'local') return undefined;
  return endpoint.user === undefined ? endpoint.host : `${endpoint.user}@${endpoint.host}`;
}
