// Turns relaysync's arguments into rsync's option state the way rsync's
// popt loop does: commander splits the words (bundles like -avz, values as
// --opt=value, --opt value or -B1024, options after operands, `--`), and the
// table's effects are applied in command-line order, so -a expands where it
// stands and a later --no-p wins over it. Then rsync's own decisions and
// checks run (settle-options).
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { OPTION_TABLE, spellingsOf, type Apply, type HelpTopic, type ParseState, type RefusedOption } from './option-table.js';
import { defaultRelaySettings, type RelaySettings } from './relay-settings.js';
import { defaultRsyncOptions, type RsyncOptions } from './rsync-options.js';
import { settle, type Environment } from './settle-options.js';

export interface ParsedCommandLine {
  /** What to do: print a help or the version, or run the transfer. */
  readonly action: 'run' | 'help' | 'version';
  /** Which help: the options, or the words of --info or --debug. */
  readonly help: HelpTopic;
  readonly options: RsyncOptions;
  readonly relay: RelaySettings;
  /** SRC... DEST as given; see parseEndpoints(). */
  readonly operands: readonly string[];
}

/** One option as it appeared, ready to take effect in its turn. */
interface Occurrence {
  readonly value: string | undefined;
  /** The option as rsync's messages quote it, with its value. */
  readonly typed: string;
  readonly run: Apply;
}

/** Everything rsync would accept, parsed with rsync's semantics; anything else is a CliError. */
export function parseCommandLine(argv: readonly string[], env: Environment = process.env): ParsedCommandLine {
  const occurrences: Occurrence[] = [];
  const { operands, unknown } = splitWords(argv, occurrences);
  if (unknown.length > 0) throw unknownOption(unknown[0]!);

  const state = initialState(env);
  const result = (action: ParsedCommandLine['action']): ParsedCommandLine => ({
    action,
    help: state.help ?? 'options',
    options: state.options,
    relay: state.relay,
    operands,
  });
  for (const occurrence of occurrences) {
    occurrence.run(state, occurrence.value, occurrence.typed);
    // rsync prints a help as soon as it reads the option asking for it.
    if (state.help) return result('help');
  }
  if (state.version) return result('version');
  // rsync's old meaning of -h: help, when it is the only argument.
  if (argv.length === 1 && state.options.humanReadable > 1) return result('help');
  settle(state, operands.length, env);
  return result('run');
}

function initialState(env: Environment): ParseState {
  const state: ParseState = {
    options: defaultRsyncOptions(),
    relay: defaultRelaySettings(),
    pending: {
      relativePaths: undefined,
      impliedDirs: true,
      xferDirs: undefined,
      filesFrom: undefined,
      filterFileCount: 0,
      maxDelete: undefined,
      backupDir: undefined,
      backupSuffix: undefined,
      partialDir: undefined,
      checksumChoice: undefined,
      compressCount: 0,
      compressChoice: undefined,
      compressLevel: undefined,
      maxAllocArg: undefined,
      protectArgs: undefined,
      oldStyleArgs: undefined,
      logfileFormat: undefined,
      usermapViaChown: false,
      groupmapViaChown: false,
    },
    help: undefined,
    version: false,
  };
  // rsync reads RSYNC_ICONV before the options, so --iconv and --no-iconv override it.
  if (env.RSYNC_ICONV) state.options.iconv = env.RSYNC_ICONV;
  return state;
}

/** Lets commander split the words; each option it meets is recorded, in order. */
function splitWords(argv: readonly string[], occurrences: Occurrence[]): { operands: string[]; unknown: string[] } {
  const command = new Command()
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  const register = (spelling: string, takesValue: boolean, run: Apply) => {
    // commander only needs to know that a value follows; the table names it for --help.
    const flag = new Option(takesValue ? `${spelling} <value>` : spelling);
    command.addOption(flag);
    command.on(`option:${flag.name()}`, (value?: string) => {
      // rsync quotes a bad value with its option: --max-delete=x, -@x.
      const typed = value === undefined ? spelling : spelling.startsWith('--') ? `${spelling}=${value}` : spelling + value;
      occurrences.push({ value, typed, run });
    });
  };
  for (const option of OPTION_TABLE) {
    const { positive, negative } = spellingsOf(option);
    if (option.status === 'supported') {
      for (const spelling of positive) register(spelling, option.arg !== undefined, option.apply);
      if (option.no !== undefined) for (const spelling of negative) register(spelling, false, option.unset);
    } else {
      const refuse = (spelling: string) => () => {
        throw refusal(option, spelling);
      };
      for (const spelling of positive) register(spelling, option.arg !== undefined, refuse(spelling));
      for (const spelling of negative) register(spelling, false, refuse(spelling));
    }
  }
  try {
    return command.parseOptions([...argv]);
  } catch (err) {
    // The only error parseOptions raises: an option's value is missing.
    if (err instanceof CommanderError) {
      const flag = /option '(\S+)/.exec(err.message)?.[1] ?? 'an option';
      throw new CliError(`${flag}: missing argument`);
    }
    throw err;
  }
}

/** commander leaves `--partial=1` unknown when --partial takes no value; rsync says so. */
function unknownOption(word: string): CliError {
  const name = /^(--[^=]+)=/.exec(word)?.[1];
  const known = OPTION_TABLE.some((o) => {
    const { positive, negative } = spellingsOf(o);
    return name !== undefined && (positive.includes(name) || negative.includes(name));
  });
  if (known) return new CliError(`${word}: option does not take an argument`);
  return new CliError(`${word}: unknown option (relaysync --help lists the options)`);
}

function refusal(option: RefusedOption, spelling: string): CliError {
  return new CliError(`${spelling} is not supported yet: ${option.reason}.\nRun relaysync without it.`);
}
