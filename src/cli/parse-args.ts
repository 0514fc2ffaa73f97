// Turns relaysync's arguments into rsync's option state the way rsync's
// popt loop does: commander splits the words (bundles like -avz, values as
// --opt=value, --opt value or -B1024, options after operands, `--`), and the
// table's effects are applied in command-line order, so -a expands where it
// stands and a later --no-p wins over it. Then rsync's own decisions and
// checks run (settle-options), and last come the options relaysync parses
// but cannot run yet.
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { OPTION_TABLE, spellingsOf, supportedOption, type Apply, type HelpTopic, type ParseState, type RefusedOption } from './option-table.js';
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

/** An option given that relaysync parses but the broker cannot honour yet. */
export interface NotYet {
  /** As the user gave it: `-A`, `--chmod`, `RSYNC_PROTECT_ARGS=1`, or what implies it. */
  readonly spelling: string;
  readonly reason: string;
}

export interface CommandLineReading extends ParsedCommandLine {
  /** In the order given; a run is refused for the first. */
  readonly notYet: readonly NotYet[];
}

/** One option as it appeared, ready to take effect in its turn. */
interface Occurrence {
  readonly value: string | undefined;
  /** The option as rsync's messages quote it, with its value. */
  readonly typed: string;
  readonly run: Apply;
}

/** The command line, ready to run: an option the broker cannot honour yet is refused here. */
export function parseCommandLine(argv: readonly string[], env: Environment = process.env): ParsedCommandLine {
  const reading = readCommandLine(argv, env);
  const first = reading.notYet[0];
  if (reading.action === 'run' && first !== undefined) {
    throw new CliError(`${first.spelling} is not supported yet: ${first.reason}.\nRun relaysync without it.`);
  }
  return reading;
}

/** Everything rsync would accept, parsed with rsync's semantics, and what of it the broker cannot honour yet. */
export function readCommandLine(argv: readonly string[], env: Environment = process.env): CommandLineReading {
  const occurrences: Occurrence[] = [];
  const { operands, unknown } = splitWords(argv, occurrences);
  if (unknown.length > 0) throw unknownOption(unknown[0]!);

  const state = initialState(env);
  const result = (action: ParsedCommandLine['action']): CommandLineReading => ({
    action,
    help: state.help ?? 'options',
    options: state.options,
    relay: state.relay,
    operands,
    notYet: state.uses
      .filter(({ option }) => option.needsBroker !== undefined && (option.needsBroker.inUse?.(state.options) ?? true))
      .map(({ option, spelling }) => ({ spelling, reason: option.needsBroker!.reason })),
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
    uses: [],
    help: undefined,
    version: false,
  };
  // rsync reads RSYNC_ICONV before the options, so --iconv and --no-iconv override it.
  const iconv = env.RSYNC_ICONV;
  if (iconv) {
    state.options.iconv = iconv;
    state.uses.push({ option: supportedOption('iconv'), spelling: `RSYNC_ICONV=${iconv}` });
  }
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
      for (const spelling of positive) {
        register(spelling, option.arg !== undefined, (s, value, typed) => {
          if (option.needsBroker !== undefined) s.uses.push({ option, spelling });
          option.apply(s, value, typed);
        });
      }
      // Turning an option off never needs the broker.
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
