// Everything a run shows and records, put together for the output mode:
// rsync's lines (always: they also write --log-file, and on a terminal
// they print above the live view), the live view or the JSON events, the
// --log-json log, and the statistics, progress, file reports and notices
// they read; relaysync's own messages go where they do not tear the view.
import { Writable } from 'node:stream';
import { fanOut } from '../broker/fan-out.js';
import type { RelayError } from '../broker/relay-error.js';
import type { FrameTrace, RelayOutcome } from '../broker/relay.js';
import type { RunEvents } from '../broker/run-relay.js';
import { RunStats } from '../broker/run-stats.js';
import { CliError } from '../cli/cli-error.js';
import type { RelaySettings } from '../cli/relay-settings.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import { RERR } from '../protocol/constants.js';
import type { Side } from '../transport/server-process.js';
import { NO_STEPS, type StepLog } from '../transport/steps.js';
import type { TransportError } from '../transport/transport-error.js';
import { exitCodeMeaning } from './exit-codes.js';
import { FileReports } from './file-reports.js';
import { JsonEvents } from './json-events.js';
import type { LiveView } from './live/live-view.js';
import { failureNotice, NoticeFeed, type Notice } from './notices.js';
import { outputMode, type OutputMode } from './output-mode.js';
import { PlainOutput } from './plain-output.js';
import { RunLog } from './run-log.js';
import { RunProgress } from './run-progress.js';

export interface RunOutputOptions {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly options: RsyncOptions;
  readonly relay: RelaySettings;
  /** SRC... and DEST as given, and the SRC paths on the source host. */
  readonly operands: readonly string[];
  readonly sourcePaths: readonly string[];
  /** A destination is reached (not a listing). */
  readonly hasDest: boolean;
  readonly version: string;
  readonly startedAt: number;
  readonly env: NodeJS.ProcessEnv;
}

/** Whether a stream is a terminal a person watches. */
function isTerminal(stream: Writable): stream is NodeJS.WriteStream {
  return (stream as Partial<NodeJS.WriteStream>).isTTY === true;
}

export class RunOutput {
  readonly mode: OutputMode;
  readonly hasDest: boolean;
  private readonly stats = new RunStats();
  private readonly progress: RunProgress | undefined;
  private readonly log: RunLog | undefined;
  private plain: PlainOutput | undefined;
  private json: JsonEvents | undefined;
  private live: LiveView | undefined;
  /** Where relaysync's own messages go: stderr, or above the live view while it is up. */
  private messages: Writable;

  /** Opens the --log-json file first: a run that was asked to be logged does not start without its log. */
  constructor(private readonly o: RunOutputOptions) {
    this.hasDest = o.hasDest;
    this.mode = outputMode(o.options, o.relay, o.hasDest, { terminal: isTerminal(o.stdout), env: o.env });
    this.progress = this.mode === 'plain' ? undefined : new RunProgress(o.options.dryRun, o.startedAt);
    this.messages = o.stderr;
    const file = o.relay.logJson;
    try {
      this.log = file === undefined ? undefined : RunLog.open(file, o.relay.logJsonLevel ?? 'info');
    } catch (err) {
      throw new CliError(`cannot write the --log-json file ${file}: ${(err as Error).message}`, RERR.FILEIO);
    }
  }

  /** One of relaysync's own messages (a host key recorded, a failure), a line on stderr. */
  readonly say = (text: string): void => void this.messages.write(text.endsWith('\n') ? text : text + '\n');

  /** Each step of reaching the hosts, for the log. */
  get steps(): StepLog {
    return this.log?.step ?? NO_STEPS;
  }

  /** A protocol trace, when the log wants one. */
  get frames(): FrameTrace | undefined {
    return this.log?.frames;
  }

  /**
   * Both hosts are reached: the output starts (the live view only now, so
   * that a question about a host key or a password had the terminal to
   * itself) and listens to the run.
   */
  async started(labels: Readonly<Record<Side, string>>): Promise<RunEvents> {
    const { o, progress, log } = this;
    if (this.mode === 'live' && progress && isTerminal(o.stdout)) {
      const context = { source: o.operands.slice(0, -1).join(' '), dest: o.operands.at(-1)!, labels, human: o.options.humanReadable };
      const LiveView = await loadLiveView();
      this.live = new LiveView({ stdout: o.stdout, stderr: o.stderr, progress, context });
    }
    const screen = this.live?.console ?? { stdout: o.stdout, stderr: o.stderr };
    this.messages = screen.stderr;
    if (this.mode === 'json') this.json = this.jsonEvents(labels);
    log?.started(labels);
    const json = this.json;
    // With --json, stdout is the events': rsync's lines are not printed there (--log-file still gets its own).
    const stdout = json ? discard() : screen.stdout;
    this.plain = new PlainOutput({ options: o.options, sources: o.sourcePaths, labels, stdout, stderr: screen.stderr, stats: this.stats, startedAt: o.startedAt });
    const listeners: Partial<RunEvents>[] = [this.stats, this.plain, new NoticeFeed((n) => this.notice(n))];
    for (const l of [progress, json, log]) if (l) listeners.push(l);
    if (json || log) {
      const run = { dryRun: o.options.dryRun, preserveMtimes: o.options.preserveMtimes };
      listeners.push(new FileReports(run, (report) => (json?.file(report), log?.file(report))));
    }
    return fanOut(...listeners);
  }

  private notice(n: Notice): void {
    this.progress?.notice(n);
    this.json?.notice(n);
    this.log?.notice(n);
  }

  /** The relay ran to its end, whatever the end; `cause` says where a failure came from (FailureCause), when known. */
  finish(outcome: RelayOutcome, interrupted: boolean, cause?: string): void {
    if (outcome.error) this.notice(failureNotice(outcome.error));
    this.plain?.finish(outcome, cause);
    this.progress?.finished(outcome.exitCode, interrupted, Date.now());
    this.json?.finish(outcome);
    this.log?.summary(outcome.exitCode, this.stats, outcome);
  }

  /** The run could not start or broke off before the relay: what happened and the exit code. */
  failed(error: RelayError | TransportError, exitCode: number, interrupted: boolean): void {
    this.say(`relaysync: ${error.message}`);
    this.say(`relaysync error: ${exitCodeMeaning(exitCode)} (code ${exitCode})`);
    // Before both hosts were reached there were no JSON events yet: only the error and the summary.
    if (this.mode === 'json') this.json ??= this.jsonEvents({ source: '', dest: '' });
    this.notice(failureNotice(error));
    this.progress?.finished(exitCode, interrupted, Date.now());
    this.json?.summary(exitCode, null);
    this.log?.summary(exitCode, undefined, undefined);
  }

  private jsonEvents(labels: Readonly<Record<Side, string>>): JsonEvents {
    const { o } = this;
    return new JsonEvents({
      stdout: o.stdout,
      stats: this.stats,
      progress: this.progress!,
      version: o.version,
      operands: { source: o.operands.slice(0, -1), dest: o.operands.at(-1)! },
      labels,
      dryRun: o.options.dryRun,
      startedAt: o.startedAt,
    });
  }

  /** The live view's last frame stays on the terminal. */
  async close(): Promise<void> {
    this.messages = this.o.stderr;
    await this.live?.close();
  }
}

/**
 * ink and React are loaded for the live view only: loading them takes a
 * good part of a second, which a run without a terminal does not pay. React
 * is loaded as its production build, whose work per redraw is a fraction
 * of the development build's checks.
 */
async function loadLiveView(): Promise<typeof LiveView> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return (await import('./live/live-view.js')).LiveView;
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** rsync's lines where nobody reads them. */
function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
