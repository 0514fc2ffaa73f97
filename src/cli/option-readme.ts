// README's table of every rsync option and what relaysync does with it,
// written from the option table, and put between its markers in README.md.
import { OPTION_TABLE, spellingsOf, type OptionSpec } from './option-table.js';

export const README_START = '<!-- option table: written by `npm run docs` from src/cli/option-table.ts -->';
export const README_END = '<!-- end of option table -->';

const STATUS: Readonly<Record<OptionSpec['status'], string>> = { supported: 'yes', refused: 'no' };

/** Markdown: a table cell may not hold a bare `|`. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function spellings(option: OptionSpec): string {
  const { positive, negative } = spellingsOf(option);
  const value = option.arg ? `=${option.arg.name}` : '';
  const names = positive.map((s) => `\`${s.startsWith('--') ? s + value : s}\``).join(', ');
  return negative.length === 0 ? names : `${names} (${negative.map((s) => `\`${s}\``).join(', ')})`;
}

function note(option: OptionSpec): string {
  return option.status === 'refused' ? option.reason : option.help;
}

/** The lines between the markers. */
export function optionReadmeTable(): string {
  const count = (status: OptionSpec['status']) => OPTION_TABLE.filter((o) => o.status === status).length;
  return [
    `${OPTION_TABLE.length} options: ${count('supported')} work (yes), ${count('refused')} are refused (no).`,
    '',
    '| option | works | notes |',
    '| --- | --- | --- |',
    ...OPTION_TABLE.map((o) => `| ${cell(spellings(o))} | ${STATUS[o.status]} | ${cell(note(o))} |`),
  ].join('\n');
}

/** README with its option table replaced; it must have both markers, in order. */
export function withOptionTable(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the lines\n${README_START}\n${README_END}`);
  return `${readme.slice(0, start + README_START.length)}\n${optionReadmeTable()}\n${readme.slice(end)}`;
}
