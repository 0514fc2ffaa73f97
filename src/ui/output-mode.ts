// How relaysync shows a run: the live view on a terminal, rsync's own
// lines (no terminal, or options that ask for rsync's lines), or JSON events
// for scripts. The command-line settings behind it are relaysync's own; they
// are declared here, beside the output that reads them, and merged into
// RelaySettings by TypeScript's declaration merging.
import type { RelaySettings } from '../cli/relay-settings.js';
import { outputSettings } from '../cli/info-levels.js';
import type { RsyncOptions } from '../cli/rsync-options.js';

declare module '../cli/relay-settings.js' {
  interface RelaySettings {
    /** --json: newline-delimited JSON events on stdout instead of rsync's lines. */
    json?: boolean;
    /** --no-progress was given: no live view even on a terminal. */
    noProgress?: boolean;
    /** --log-json: the file the structured log goes to. */
    logJson?: string;
    /** --log-json-level: how much that log says. */
    logJsonLevel?: LogLevel;
  }
}

/** The levels --log-json-level takes, fewest lines first; each includes the ones before it. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type OutputMode = 'live' | 'plain' | 'json';

/** What relaysync knows about where its output goes. */
export interface OutputTarget {
  /** Standard output is a terminal. */
  readonly terminal: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** A variable CI systems set (as ink reads it): a terminal there is a log, not a person. */
function underCi(env: NodeJS.ProcessEnv): boolean {
  const set = (name: string) => env[name] !== undefined && env[name] !== '0' && env[name] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * The live view needs a person at a terminal and a run to watch. rsync's
 * lines stay when the user asked for rsync's own progress lines (--progress,
 * -P, --info=progress2), which would fight with the view for the same lines;
 * -v, -i, --out-format and --stats lines are printed above the view instead.
 */
export function outputMode(options: RsyncOptions, relay: RelaySettings, hasDest: boolean, target: OutputTarget): OutputMode {
  if (relay.json) return 'json';
  const live =
    target.terminal &&
    !underCi(target.env) &&
    hasDest &&
    options.listOnly === 0 &&
    options.quiet === 0 &&
    !relay.noProgress &&
    outputSettings(options).info.progress === 0;
  return live ? 'live' : 'plain';
}
