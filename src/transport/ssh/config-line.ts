// Splits one ssh_config line into a keyword and its arguments the way
// OpenSSH 9's readconf.c does: the keyword ends at whitespace or a single
// `=`; arguments are split like argv_split(): double or single quotes group,
// a backslash escapes a quote, a backslash or (outside quotes) a space, and
// a `#` at the start of an argument ends the line. ProxyCommand, ProxyJump
// and Match read the argument text as written instead, so it is kept too.

export interface ConfigLine {
  /** The keyword in lower case, as OpenSSH compares it. */
  readonly keyword: string;
  /** The keyword as written, for messages. */
  readonly spelled: string;
  readonly args: string[];
  /** The text after the keyword and its separator, as written (trailing whitespace removed). */
  readonly rest: string;
}

/** Thrown with a reason; the caller adds file and line. */
export class ConfigLineError extends Error {}

const WHITESPACE = ' \t\r\n';

/** The line's keyword and arguments, or null for a blank or comment line. */
export function splitConfigLine(raw: string): ConfigLine | null {
  const line = raw.replace(/[ \t\r\n\f]+$/, '');
  let pos = skip(line, 0, WHITESPACE);
  if (pos === line.length || line[pos] === '#') return null;

  let keyword = '';
  for (; pos < line.length; pos++) {
    const ch = line[pos]!;
    if (ch === '"') {
      const close = line.indexOf('"', pos + 1);
      if (close < 0) throw new ConfigLineError('invalid quotes');
      keyword += line.slice(pos + 1, close);
      pos = close + 1;
      break;
    }
    if (WHITESPACE.includes(ch) || ch === '=') break;
    keyword += ch;
  }
  // One `=` may separate keyword and value, with whitespace on either side.
  pos = skip(line, pos, WHITESPACE);
  if (line[pos] === '=') pos = skip(line, pos + 1, WHITESPACE);

  if (pos >= line.length) throw new ConfigLineError(`no argument after keyword "${keyword}"`);
  const rest = line.slice(pos);
  return { keyword: keyword.toLowerCase(), spelled: keyword, args: splitArguments(rest), rest };
}

function skip(text: string, pos: number, chars: string): number {
  while (pos < text.length && chars.includes(text[pos]!)) pos++;
  return pos;
}

function splitArguments(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    if (text[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < text.length; i++) {
      const ch = text[i]!;
      const next = text[i + 1];
      if (ch === '\\') {
        const escapable = next === '"' || next === "'" || next === '\\' || (quote === '' && next === ' ');
        arg += escapable ? next : ch;
        if (escapable) i++;
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        arg += ch;
      }
    }
    if (quote !== '') throw new ConfigLineError('invalid quotes');
    args.push(arg);
  }
  return args;
}
