// relaysync's entry: read the command line, reach both hosts, relay one run,
// report, and exit with rsync's exit code.
import { randomInt } from 'node:crypto';
import { createReadStream, openSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fanOut } from './broker/fan-out.js';
import { RelayError } from './broker/relay-error.js';
import { runRelay } from './broker/run-relay.js';
import { sideLabels } from './broker/side-labels.js';
import { CliError } from './cli/cli-error.js';
import { filesFromSide, parseEndpoints, type Endpoint } from './cli/endpoints.js';
import { helpText } from './cli/help.js';
import { parseCommandLine } from './cli/parse-args.js';
import type { RsyncOptions } from './cli/rsync-options.js';
import { serverProgram } from './cli/relay-settings.js';
import { strerror } from './cli/system-error.js';
import { runDemo } from './demo/demo.js';
import { clientRuleLists, ClientRulesError, readingOnce, type LocalRuleFiles } from './plan/client-rules.js';
import { buildServerCommand } from './plan/server-command.js';
import { capabilityLetters, offeredProtocol } from './plan/protocol-offer.js';
import { RERR } from './protocol/constants.js';
import { TransportPool, type TransportTarget } from './transport/pool.js';
import { reachOptions } from './transport/reach-settings.js';
import type { Side, Transport } from './transport/server-process.js';
import { failedSides, TransportError } from './transport/transport-error.js';
import { exitCodeMeaning } from './ui/exit-codes.js';
import { FailureCause } from './ui/failure-cause.js';
import { RunOutput } from './ui/run-output.js';

/** The ends in the order they are reached: the source, then the destination when there is one. */
const SIDES: readonly Side[] = ['source', 'dest'];

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

/** The failure (or failures, one per host) that kept the run from starting, naming each side; the first one decides the exit code. */
function unreachable(results: readonly PromiseSettledResult<Transport>[]): unknown {
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ side: SIDES[i]!, error: r.reason as unknown }] : []));
  const other = failures.find((f) => !(f.error instanceof TransportError));
  if (other) return other.error;
  return failedSides(failures as { side: Side; error: TransportError }[]);
}

/** The destination to reach: none for a listing, which reads the source alone (rsync ignores a DEST given with --list-only). */
function destinationOf(options: RsyncOptions, endpoints: ReturnType<typeof parseEndpoints>): Endpoint | undefined {
  return options.listOnly === 0 ? endpoints.dest : undefined;
}

/** A --files-from list on this machine, opened before anything starts (relaysync sends it to the source). */
function openLocalList(options: RsyncOptions): { local: Readable; from0: boolean } | undefined {
  const path = options.filesFrom;
  if (path === undefined || options.filesfromHost !== undefined) return undefined;
  if (path === '-') return { local: process.stdin, from0: options.eolNulls };
  try {
    return { local: createReadStream('', { fd: openSync(path, 'r') }), from0: options.eolNulls };
  } catch (err) {
    throw new CliError(`failed to open files-from file ${path}: ${strerror(err)}`);
  }
}

/**
 * Reads the rule files named on the command line and checks the rules at
 * the newest protocol on offer, so a missing file or a bad rule stops the
 * run before any host is reached. The servers get them built again, from
 * what was read here, for the protocol they settle on.
 */
function checkRules(options: RsyncOptions, hasDest: boolean): LocalRuleFiles {
  const files = readingOnce({ read: (name) => readFileSync(name), readStdin: () => readFileSync(0), env: process.env });
  try {
    clientRuleLists({ options, protocol: offeredProtocol(options), hasDest, files });
  } catch (err) {
    if (err instanceof ClientRulesError) throw new CliError(err.message, err.exitCode);
    throw err;
  }
  return files;
}

export async function main(argv: readonly string[], io: Console, interrupted: AbortSignal): Promise<number> {
  const startedAt = Date.now();
  const say = (text: string): void => void io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  let parsed: ReturnType<typeof parseCommandLine>;
  let endpoints: ReturnType<typeof parseEndpoints>;
  let filesFromOn: Side | undefined;
  let localList: { local: Readable; from0: boolean } | undefined;
  let ruleFiles: LocalRuleFiles;
  let output: RunOutput;
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
    if (parsed.action === 'demo') return runDemo(io, interrupted, (args) => main(args, io, interrupted));
    endpoints = parseEndpoints(parsed.operands);
    filesFromOn = filesFromSide(parsed.options, endpoints);
    ruleFiles = checkRules(parsed.options, destinationOf(parsed.options, endpoints) !== undefined);
    localList = openLocalList(parsed.options);
    output = new RunOutput({
      stdout: io.stdout,
      stderr: io.stderr,
      options: parsed.options,
      relay: parsed.relay,
      operands: parsed.operands,
      sourcePaths: endpoints.sources.paths,
      hasDest: destinationOf(parsed.options, endpoints) !== undefined,
      version: version(),
      startedAt,
      env: process.env,
    });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    say(err.message);
    say(`relaysync error: ${exitCodeMeaning(err.exitCode)} (code ${err.exitCode})`);
    return err.exitCode;
  }
  const { options, relay } = parsed;
  const seed = randomInt(1, 0x7fffffff);
  const destination = destinationOf(options, endpoints);
  const ends = destination ? [endpoints.sources, destination] : [endpoints.sources];
  const paths: Record<Side, readonly string[]> = { source: endpoints.sources.paths, dest: endpoints.dest?.paths ?? [] };

  const pool = new TransportPool({ note: output.say, detail: options.verbose > 0 ? output.say : undefined, step: output.steps, ...reachOptions(relay) });
  const opened: Transport[] = [];
  try {
    // Both hosts are reached before anything starts; when one fails, the other is closed too (in finally) and every failure is told.
    const results = await Promise.allSettled(ends.map((e) => pool.open(target(e))));
    for (const r of results) if (r.status === 'fulfilled') opened.push(r.value);
    if (results.some((r) => r.status === 'rejected')) throw unreachable(results);
    const [source, dest] = opened;
    const transports = { source: source!, dest };
    const cause = new FailureCause(transports);
    const outcome = await runRelay(
      {
        transports,
        command: (side, letters) =>
          buildServerCommand({ options, side, paths: paths[side], checksumSeed: seed, program: serverProgram(relay, side), capabilities: letters, filesFromOn }),
        letters: capabilityLetters(options) ?? '',
        offer: offeredProtocol(options),
        seed,
        options,
        ruleFiles,
        filesFrom: filesFromOn === 'dest' ? 'dest' : localList,
        frames: output.frames,
      },
      fanOut(await output.started(sideLabels(transports)), cause),
      interrupted,
    );
    output.finish(outcome, interrupted.aborted, cause.describe());
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof RelayError || err instanceof TransportError) {
      const code = err instanceof RelayError ? err.exitCode : transportExitCode(err);
      output.failed(err, code, interrupted.aborted);
      return code;
    }
    throw err;
  } finally {
    await output.close();
    await Promise.all(opened.map((t) => t.close()));
  }
}
