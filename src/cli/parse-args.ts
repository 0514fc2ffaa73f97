// Turns relaysync's arguments into rsync's option state the way rsync's
// popt loop does: commander splits the words (bundles like -avz, values as
// --opt=value, --opt value or -B1024, options after operands, `--`), and the
// table's effects are applied in command-line order, so -a expands where it
// stands and a later --no-p wins over it.
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { OPTION_TABLE, spellingsOf, type Apply, type OptionArg, type ParseState, type RefusedOption } from './option-table.js';
import { defaultRelaySettings, type RelaySettings } from './relay-settings.js';
import { defaultRsyncOptions, type RsyncOptions } from './rsync-options.js';

export interface ParsedCommandLine {
  /** What to do: print the help or the version, or run the transfer. */
  readonly action: 'run' | 'help' | 'version';
  readonly options: RsyncOptions;
  readonly relay: RelaySettings;
  /** SRC... DEST as given; see parseEndpoints(). */
  readonly operands: readonly string[];
}

/** One option as it appeared, ready to take effect in its turn. */
interface Occurrence {
  readonly value: string | undefined;
  readonly run: Apply;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const occurrences: Occurrence[] = [];
  const { operands, unknown } = splitWords(argv, occurrences);
  if (unknown.length > 0) throw unknownOption(unknown[0]!);

  const state: ParseState = { options: defaultRsyncOptions(), relay: defaultRelaySettings(), help: false, version: false };
  const result = (action: ParsedCommandLine['action']): ParsedCommandLine => ({
    action,
    options: state.options,
    relay: state.relay,
    operands,
  });
  for (const occurrence of occurrences) {
    occurrence.run(state, occurrence.value);
    // rsync prints the help as soon as it reads --help.
    if (state.help) return result('help');
  }
  if (state.version) return result('version');
  // rsync's old meaning of -h: help, when it is the only argument.
  if (argv.length === 1 && state.options.humanReadable > 1) return result('help');
  settle(state.options);
  return result('run');
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
    command.on(`option:${flag.name()}`, (value?: string) => occurrences.push({ value, run }));
  };
  for (const option of OPTION_TABLE) {
    const { positive, negative } = spellingsOf(option);
    if (option.status === 'supported') {
      for (const spelling of positive) {
        register(spelling, option.arg !== undefined, (s, v) => option.apply(s, checkedValue(option.arg, spelling, v)));
      }
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
  return new CliError(`${spelling} is not supported yet: ${option.reason}.\n${option.instead ?? 'Run relaysync without it.'}`);
}

function checkedValue(arg: OptionArg | undefined, spelling: string, value: string | undefined): string | undefined {
  if (arg?.kind === 'number' && value !== undefined && !/^-?\d+$/.test(value)) {
    throw new CliError(`${spelling}=${value}: invalid numeric value`);
  }
  return value;
}

/** rsync's checks and adjustments once every option is read (options.c parse_arguments). */
function settle(options: RsyncOptions): void {
  if (options.deleteMode && !options.recurse) {
    throw new CliError('--delete does not work without --recursive (-r)');
  }
  // --inplace writes into the file itself, so there is no partial file to keep.
  if (options.inplace) options.keepPartial = false;
}
