// The --help text, written from the option table; --info=help and
// --debug=help list their words.
import { OPTION_TABLE, type HelpGroup, type HelpTopic, type OptionSpec, type SupportedOption } from './option-table.js';
import { outputWordsHelp } from './output-words.js';

const GROUP_TITLES: Readonly<Record<HelpGroup, string>> = {
  what: 'What to copy',
  metadata: 'What to keep',
  delete: 'Deleting and filtering',
  backup: 'Backups, partial files and other bases',
  transfer: 'How to copy',
  output: 'Output',
  hosts: 'Running rsync on the hosts',
  program: 'This program',
};

const INTRO = `relaysync copies files from one host to another through this machine,
with a stock rsync running on each host.

Usage: relaysync [OPTION]... SRC [SRC]... DEST

SRC and DEST are [USER@]HOST:PATH (an IPv6 address goes in brackets,
[USER@][ADDR]:PATH) or a local PATH; a '/' before the first ':' makes it
local. Every SRC is on one host: after the first, ':PATH' means that host.
An empty PATH after HOST: is the login directory.

  relaysync -av --delete web04:/data/ web05:/data/`;

const WIDTH = 79;
/** The widest spellings the first column fits. */
const SPELLINGS_WIDTH = 26;

export function helpText(topic: HelpTopic = 'options'): string {
  if (topic !== 'options') return outputWordsHelp(topic) + '\n';
  const supported = OPTION_TABLE.filter((o): o is SupportedOption => o.status === 'supported');
  const column = ' '.repeat(Math.min(Math.max(...supported.map((o) => spellings(o).length)), SPELLINGS_WIDTH) + 4);
  // Spellings too long for the column get a line of their own.
  const describe = (o: SupportedOption) => {
    const left = `  ${spellings(o)}`;
    if (left.length < column.length) return wrap(o.help, left.padEnd(column.length), column);
    return [left, ...wrap(o.help, column, column)];
  };
  const sections = (Object.keys(GROUP_TITLES) as HelpGroup[]).map((group) => {
    const lines = supported.filter((o) => o.group === group).flatMap(describe);
    return [`${GROUP_TITLES[group]}:`, ...lines].join('\n');
  });
  const negation = wrap(
    'Where rsync has a --no-OPTION form (--no-perms, --no-p, --no-D, ...), it turns that option off again: options apply in order, so -a --no-o keeps everything -a keeps but the owner.',
    '',
    '',
  );
  const refused = OPTION_TABLE.filter((o) => o.status === 'refused').map(name);
  const notRun = ['Recognized, but refused (relaysync stops and says why):', ...wrap(refused.join(', '), '  ', '  ')];
  return [INTRO, ...sections, negation.join('\n'), notRun.join('\n')].join('\n\n') + '\n';
}

/** `-a, --archive`, `    --exclude=PATTERN`, `-D`; aliases follow the name. */
function spellings(option: OptionSpec): string {
  const value = option.arg ? `=${option.arg.name}` : '';
  const longs = option.long.map((l, i) => `--${l}${i === 0 ? value : ''}`).join(', ');
  const short = option.short === undefined ? '    ' : `-${option.short}${longs ? ', ' : ''}`;
  return short + longs;
}

function name(option: OptionSpec): string {
  return option.long.length > 0 ? `--${option.long[0]}` : `-${option.short}`;
}

/** Fills lines up to WIDTH: the first starts with `first`, the others with `indent`. */
function wrap(text: string, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + word.length > WIDTH) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += word + ' ';
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines;
}
