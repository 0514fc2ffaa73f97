// relaysync's entry: read the command line, reach both hosts, relay one run,
// report, and exit with rsync's exit code.
import { randomInt } from 'node:crypto';
import { createReadStream, openSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { RelayError } from './broker/relay-error.js';
import { fanOut } from './broker/fan-out.js';
import { runRelay } from './broker/run-relay.js';
import { sideLabels } from './broker/side-labels.js';
import { RunStats } from './broker/run-stats.js';
import { CliError } from './cli/cli-error.js';
import { filesFromSide, parseEndpoints, type Endpoint } from './cli/endpoints.js';
import { helpText } from './cli/help.js';
import { parseCommandLine } from './cli/parse-args.js';
import type { RsyncOptions } from './cli/rsync-options.js';
import { serverProgram } from './cli/relay-settings.js';
import { buildServerCommand } from './plan/server-command.js';
import { capabilityLetters, offeredProtocol } from './plan/protocol-offer.js';
import { RERR } from './protocol/constants.js';
import { TransportPool, type TransportTarget } from './transport/pool.js';
import { reachOptions } from './transport/reach-settings.js';
import type { Side, Transport } from './transport/server-process.js';
import { TransportError } from './transport/transport-error.js';
import { exitCodeMeaning } from './ui/exit-codes.js';
import { PlainOutput } from './ui/plain-output.js';

export interface Console {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function target(endpoint: Endpoint): TransportTarget {
  return endpoint.kind === 'local' ? { kind: 'local' } : { kind: 'ssh', host: endpoint.host, user: endpoint.user };
}

/** A host that cannot be reached ends the run as rsync ends it when its remote shell fails. */
function transportExitCode(err: TransportError): number {
  switch (err.reason) {
    case 'config':
      return RERR.SYNTAX;
    case 'interrupted':
      return RERR.SIGNAL;
    case 'host-key':
    case 'auth':
    case 'handshake':
    case 'session':
      return RERR.STARTCLIENT;
    default:
      return RERR.SOCKETIO;
  }
}

/** The failure (or failures, one per host) that kept the run from starting; the first one decides the exit code. */
function unreachable(results: readonly PromiseSettledResult<Transport>[]): unknown {
  const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (reasons.length > 1 && reasons.every((r): r is TransportError => r instanceof TransportError)) {
    return new TransportError(reasons[0]!.host, reasons[0]!.reason, reasons.map((r) => r.message).join('\nrelaysync: '));
  }
  return reasons[0];
}

/** A --files-from list on this machine, opened before anything starts (relaysync sends it to the source). */
function openLocalList(options: RsyncOptions): { local: Readable; from0: boolean } | undefined {
  const path = options.filesFrom;
  if (path === undefined || options.filesfromHost !== undefined) return undefined;
  if (path === '-') return { local: process.stdin, from0: options.eolNulls };
  try {
    return { local: createReadStream('', { fd: openSync(path, 'r') }), from0: options.eolNulls };
  } catch (err) {
    throw new CliError(`failed to open files-from file ${path}: ${(err as Error).message}`);
  }
}

export async function main(argv: readonly string[], io: Console, interrupted: AbortSignal): Promise<number> {
  const startedAt = Date.now();
  const say = (text: string): void => void io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  let parsed: ReturnType<typeof parseCommandLine>;
  let endpoints: ReturnType<typeof parseEndpoints>;
  let filesFromOn: Side | undefined;
  let localList: { local: Readable; from0: boolean } | undefined;
  try {
    parsed = parseCommandLine(argv);
    if (parsed.action === 'help') {
      io.stdout.write(helpText());
      return RERR.OK;
    }
    if (parsed.action === 'version') {
      io.stdout.write(`relaysync ${version()}\n`);
      return RERR.OK;
    }
    endpoints = parseEndpoints(parsed.operands);
    filesFromOn = filesFromSide(parsed.options, endpoints);
    localList = openLocalList(parsed.options);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    say(err.message);
    say(`relaysync error: ${exitCodeMeaning(err.exitCode)} (code ${err.exitCode})`);
    return err.exitCode;
  }
  const { options, relay } = parsed;
  const seed = randomInt(1, 0x7fffffff);
  // A listing reads the source alone; rsync ignores a DEST given with --list-only.
  const ends = options.listOnly > 0 || !endpoints.dest ? [endpoints.sources] : [endpoints.sources, endpoints.dest];
  const paths: Record<Side, readonly string[]> = { source: endpoints.sources.paths, dest: endpoints.dest?.paths ?? [] };

  const pool = new TransportPool({ note: say, detail: options.verbose > 0 ? say : undefined, ...reachOptions(relay) });
  const opened: Transport[] = [];
  try {
    // Both hosts are reached before anything starts; when one fails, the other is closed too (in finally) and every failure is told.
    const results = await Promise.allSettled(ends.map((e) => pool.open(target(e))));
    for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
    if (results.some((r) => r.status === 'rejected')) throw unreachable(results);
    const [source, dest] = opened;
    const transports = { source: source!, dest };
    const stats = new RunStats();
    const output = new PlainOutput({ options, sources: paths.source, labels: sideLabels(transports), stdout: io.stdout, stderr: io.stderr, stats, startedAt });
    const outcome = await runRelay(
      {
        transports,
        command: (side, letters) =>
          buildServerCommand({ options, side, paths: paths[side], checksumSeed: seed, program: serverProgram(relay, side), capabilities: letters, filesFromOn }),
        letters: capabilityLetters(options) ?? '',
        offer: offeredProtocol(options),
        seed,
        options,
        filesFrom: filesFromOn === 'dest' ? 'dest' : localList,
      },
      fanOut(stats, output),
      interrupted,
    );
    output.finish(outcome);
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof RelayError || err instanceof TransportError) {
      say(`relaysync: ${err.message}`);
      const code = err instanceof RelayError ? err.exitCode : transportExitCode(err);
      say(`relaysync error: ${exitCodeMeaning(code)} (code ${code})`);
      return code;
    }
    throw err;
  } finally {
    await Promise.all(opened.map((t) => t.close()));
  }
}
