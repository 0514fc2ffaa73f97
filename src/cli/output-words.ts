// rsync's --info and --debug words (options.c info_words, debug_words):
// reading a FLAGS list the way parse_output_words() does, and writing the
// --info=... argument a client gives a server (make_output_option()).
import { CliError } from './cli-error.js';

/** Where rsync uses a word: the client, a server, the sending side, the receiving side. */
const W = { CLI: 1, SRV: 2, SND: 4, REC: 8 } as const;

/** The info words in rsync's order (the order of the --info=... it writes), with where each is used. */
const INFO_WORDS = {
  backup: W.REC,
  copy: W.REC,
  del: W.REC,
  flist: W.CLI,
  misc: W.SND | W.REC,
  mount: W.SND | W.REC,
  name: W.SND | W.REC,
  nonreg: W.REC,
  progress: W.CLI,
  remove: W.SND,
  skip: W.REC,
  stats: W.CLI | W.SRV,
  symsafe: W.SND | W.REC,
} as const;

/** The debug words in rsync's order, with where each is used. */
const DEBUG_WORDS = {
  acl: W.SND | W.REC,
  backup: W.REC,
  bind: W.CLI,
  chdir: W.CLI | W.SRV,
  connect: W.CLI,
  cmd: W.CLI,
  del: W.REC,
  deltasum: W.SND | W.REC,
  dup: W.REC,
  exit: W.CLI | W.SRV,
  filter: W.SND | W.REC,
  flist: W.SND | W.REC,
  fuzzy: W.REC,
  genr: W.REC,
  hash: W.SND | W.REC,
  hlink: W.SND | W.REC,
  iconv: W.CLI | W.SRV,
  io: W.CLI | W.SRV,
  nstr: W.CLI | W.SRV,
  own: W.REC,
  proto: W.CLI | W.SRV,
  recv: W.REC,
  send: W.SND,
  time: W.REC,
} as const;

export type InfoWord = keyof typeof INFO_WORDS;
export type DebugWord = keyof typeof DEBUG_WORDS;
export const INFO_WORD_LIST = Object.keys(INFO_WORDS) as readonly InfoWord[];
const DEBUG_WORD_LIST = Object.keys(DEBUG_WORDS) as readonly DebugWord[];

/** The largest level a word takes (MAX_OUT_LEVEL); a larger one is lowered to it. */
const MAX_LEVEL = 4;

/**
 * Applies one --info or --debug value to the levels the user set: words
 * separated by commas, each with an optional level (NAME2; a bare word is
 * level 1, NAME0 silences), ALL or ALLn for every word, NONE for none.
 * Returns 'help' for HELP, which rsync answers with the list and exit 0.
 */
export function readOutputWords(option: 'info' | 'debug', text: string, levels: Record<string, number>): 'help' | undefined {
  const words: readonly string[] = option === 'info' ? INFO_WORD_LIST : DEBUG_WORD_LIST;
  for (const token of text.split(',')) {
    if (token === '') continue;
    // A word that starts with a digit keeps its digits as its name (and is unknown).
    const name = /^\d/.test(token) ? token : token.replace(/\d+$/, '');
    const digits = token.slice(name.length);
    const level = /^\d/.test(digits) ? Math.min(Number.parseInt(digits, 10), MAX_LEVEL) : 1;
    const lower = name.toLowerCase();
    if (lower === 'help') return 'help';
    if (lower === 'none' || lower === 'all') {
      for (const word of words) levels[word] = lower === 'none' ? 0 : level;
    } else if (words.includes(lower)) {
      levels[lower] = level;
    } else {
      throw new CliError(`Unknown --${option} item: "${name}"`);
    }
  }
  return undefined;
}

/**
 * The --info=... a client gives a server: the words the user set that
 * matter on that server, ALL/NONE/ALLn standing for the most common level
 * when every such word was set and at least five share it.
 */
export function serverInfoArg(levels: Partial<Record<InfoWord, number>>, serverSends: boolean): string | undefined {
  return serverWordsArg('info', INFO_WORDS, levels, W.SRV | (serverSends ? W.SND : W.REC));
}

/**
 * rsync's client keeps --debug to itself; through the relay the source
 * server does the sending, so it is told the sender's words (their lines
 * are what a pushing rsync prints). The receiver's words print nothing on
 * a pushing client, and are not sent, as rsync does not send them.
 */
export function serverDebugArg(levels: Partial<Record<DebugWord, number>>, serverSends: boolean): string | undefined {
  return serverSends ? serverWordsArg('debug', DEBUG_WORDS, levels, W.SND) : undefined;
}

/**
 * The --debug words set above 0 that show the workings of rsync's client
 * itself (its command line, connection, I/O, negotiation, exit), which
 * relaysync cannot show since it plays that part: a run refuses them.
 */
export function clientDebugWords(levels: Partial<Record<DebugWord, number>>): DebugWord[] {
  // BIND and CONNECT are about daemon sockets: a client reaching a server through a remote shell prints nothing for them either.
  const silent: readonly DebugWord[] = ['bind', 'connect'];
  return DEBUG_WORD_LIST.filter((word) => (levels[word] ?? 0) > 0 && DEBUG_WORDS[word] & W.CLI && !silent.includes(word));
}

function serverWordsArg<Word extends string>(
  option: 'info' | 'debug',
  table: Readonly<Record<Word, number>>,
  levels: Partial<Record<Word, number>>,
  where: number,
): string | undefined {
  const relevant = (Object.keys(table) as Word[]).filter((word) => (table[word] & where) !== 0);
  const set = relevant.filter((word) => levels[word] !== undefined);
  if (set.length === 0) return undefined;
  // The level that most words share; the first to get ahead wins a tie.
  const counts = new Map<number, number>();
  let common = -1;
  let most = 0;
  for (const word of set) {
    const n = (counts.get(levels[word]!) ?? 0) + 1;
    counts.set(levels[word]!, n);
    if (n > most) [common, most] = [levels[word]!, n];
  }
  if (set.length < relevant.length || most < 5) common = -1;
  const items = common < 0 ? [] : [common === 0 ? 'NONE' : common === 1 ? 'ALL' : `ALL${common}`];
  for (const word of set) {
    const level = levels[word]!;
    if (level !== common) items.push(word.toUpperCase() + (level === 1 ? '' : String(level)));
  }
  return `--${option}=${items.join(',')}`;
}

/** Our own words for --info=help and --debug=help. */
export function outputWordsHelp(option: 'info' | 'debug'): string {
  const words: readonly string[] = option === 'info' ? INFO_WORD_LIST : DEBUG_WORD_LIST;
  return [
    `--${option}=WORD[,WORD]...: WORD or WORD1 for level 1, WORD2 for level 2 and so on, WORD0 for none.`,
    `ALL (or ALLn) sets every word, NONE silences every word. The words:`,
    `  ${words.map((w) => w.toUpperCase()).join(' ')}`,
  ].join('\n');
}
