// Filter rule text as rsync reads it (exclude.c parse_rule_tok and
// parse_filter_str): the rule kind as a word or a character, modifiers after
// it, then one space or underscore, then the pattern. --exclude and
// --include read only an optional "- " or "+ " prefix and "!". A rule rsync
// would refuse is refused with its words; the rules come out in rsync's
// model (the RULE bits the protocol layer writes), for whoever applies them.
// Text read from a file is not echoed in a refusal: rsync 3.5 names the
// place instead, so that no message hands back a file's contents.
import { CliError } from './cli-error.js';
import { RULE } from '../protocol/filter-rules.js';

export interface ParsedRule {
  /** RULE bits: kind, modifiers, and a clear of the list. */
  readonly flags: number;
  /** The pattern; for a merge rule the file name (".cvsignore" when none is given). */
  readonly pattern: string;
}

/** How a piece of rule text is read: the rule that holds it (a merge file's modifiers) and the prefixes it may use. */
export interface RuleTemplate {
  /** RULE bits inherited from the merge rule that read the text; 0 or INCLUDE for an option. */
  readonly flags: number;
  /** --exclude/--include and old servers: only "- ", "+ " and "!" prefixes. */
  readonly oldPrefixes: boolean;
  /** Where the text was read, when it is a file's contents ("FILE line N"): a refusal names the place, not the text. */
  readonly from?: string;
}

/** A rule rsync refuses: the message as rsync words it, for whoever reports it. */
export class FilterSyntaxError extends CliError {
  constructor(readonly rsyncMessage: string) {
    super(rsyncMessage);
  }
}

const SIDES = RULE.SENDER_SIDE | RULE.RECEIVER_SIDE;
/** What a rule takes from the merge rule whose file holds it. */
const FROM_CONTAINER = RULE.ABS_PATH | RULE.INCLUDE | RULE.DIRECTORY | RULE.NEGATE | RULE.PERISHABLE;

/** Rule kinds written as words, and the character each stands for. */
const WORDS: Readonly<Record<string, string>> = {
  clear: '!',
  'dir-merge': ':',
  exclude: '-',
  hide: 'H',
  include: '+',
  merge: '.',
  protect: 'P',
  risk: 'R',
  show: 'S',
};

/** C's isspace() in the C locale. */
export const isSpace = (ch: string | undefined): boolean => ch !== undefined && ' \t\n\v\f\r'.includes(ch);

function refuse(message: string, text: string, template: RuleTemplate): never {
  throw new FilterSyntaxError(`${message}: ${template.from === undefined ? text : `<rule from ${template.from}>`}`);
}

/** The kind character at the start of a rule and where its modifiers begin; a word must end at a space, '_', ',' or the end. */
function readKind(text: string, at: number): { kind: string; next: number } {
  const first = text[at]!;
  for (const [word, kind] of Object.entries(WORDS)) {
    if (word[0] !== first) continue;
    if (!text.startsWith(word, at)) break;
    const after = text[at + word.length];
    if (after === undefined || after === '_' || isSpace(after)) return { kind, next: at + word.length };
    if (after === ',') return { kind, next: at + word.length + 1 };
    break;
  }
  // Only these lower-case letters begin words; an unmatched one is no rule.
  if ('cdehimprs'.includes(first)) return { kind: '', next: at + 1 };
  return { kind: first, next: text[at + 1] === ',' ? at + 2 : at + 1 };
}

/** One rule from `text` at `at` (parse_rule_tok); undefined when only space is left. */
function readRule(text: string, at: number, template: RuleTemplate): { rule: ParsedRule; end: number } | undefined {
  const wordSplit = (template.flags & RULE.WORD_SPLIT) !== 0;
  if (wordSplit) while (isSpace(text[at])) at++;
  if (at >= text.length) return undefined;
  const start = at;
  const shown = text.slice(start);
  let flags = template.flags & FROM_CONTAINER;
  let s = at;
  if (template.flags & RULE.NO_PREFIXES) {
    if (text[s] === '!' && template.flags & RULE.CVS_IGNORE) flags |= RULE.CLEAR_LIST;
  } else if (template.oldPrefixes) {
    if (text.startsWith('- ', s)) {
      flags &= ~RULE.INCLUDE;
      s += 2;
    } else if (text.startsWith('+ ', s)) {
      flags |= RULE.INCLUDE;
      s += 2;
    } else if (text[s] === '!') {
      flags |= RULE.CLEAR_LIST;
    }
  } else {
    const { kind, next } = readKind(text, s);
    let sided = false;
    switch (kind) {
      case ':':
        flags |= RULE.PERDIR_MERGE | RULE.MERGE_FILE;
        break;
      case '.':
        flags |= RULE.MERGE_FILE;
        break;
      case '+':
        flags |= RULE.INCLUDE;
        break;
      case '-':
        break;
      case 'S':
        flags |= RULE.INCLUDE | RULE.SENDER_SIDE;
        sided = true;
        break;
      case 'H':
        flags |= RULE.SENDER_SIDE;
        sided = true;
        break;
      case 'R':
        flags |= RULE.INCLUDE | RULE.RECEIVER_SIDE;
        sided = true;
        break;
      case 'P':
        flags |= RULE.RECEIVER_SIDE;
        sided = true;
        break;
      case '!':
        flags |= RULE.CLEAR_LIST;
        break;
      default:
        refuse('Unknown filter rule', shown, template);
    }
    // A clear takes no modifiers: what follows it is its (refused) pattern.
    s = next;
    if (kind !== '!') {
      for (; s < text.length && text[s] !== ' ' && text[s] !== '_'; s++) {
        if (wordSplit && isSpace(text[s])) break;
        const modifier = modifierFlags(text[s]!, flags, sided);
        if (modifier === undefined) {
          const where = template.from === undefined ? ` '${text[s]}' at position ${s - start}` : '';
          refuse(`invalid modifier${where} in filter rule`, shown, template);
        }
        flags |= modifier;
      }
      // One space or underscore ends the modifiers.
      if (s < text.length && !(wordSplit && isSpace(text[s]))) s++;
    }
  }
  if (template.flags & SIDES) {
    if (flags & SIDES) refuse('specified-side merge file contains specified-side filter', shown, template);
    flags |= template.flags & SIDES;
  }
  let end = text.length;
  if (wordSplit) {
    end = s;
    while (end < text.length && !isSpace(text[end])) end++;
  }
  let pattern = text.slice(s, end);
  if (flags & RULE.CLEAR_LIST) {
    if (!(template.flags & RULE.NO_PREFIXES) && !template.oldPrefixes && pattern.length > 0) {
      refuse("'!' rule has trailing characters", shown, template);
    }
    // "!foo" as an old-style pattern is an exclude of "!foo", not a clear.
    if (pattern.length > 1) flags &= ~RULE.CLEAR_LIST;
  } else if (pattern.length === 0 && !(flags & RULE.CVS_IGNORE)) {
    refuse('unexpected end of filter rule', shown, template);
  }
  if (flags & RULE.MERGE_FILE && pattern.length === 0) pattern = '.cvsignore';
  return { rule: { flags, pattern }, end };
}

/** What a modifier adds to a rule, or undefined where rsync refuses it. */
function modifierFlags(modifier: string, flags: number, sided: boolean): number | undefined {
  const merge = (flags & RULE.MERGE_FILE) !== 0;
  switch (modifier) {
    case '-':
    case '+':
      if (!merge || flags & RULE.NO_PREFIXES) return undefined;
      return RULE.NO_PREFIXES | (modifier === '+' ? RULE.INCLUDE : 0);
    case '/':
      return RULE.ABS_PATH;
    case '!':
      // Negation goes with a pattern, so it is no merge-file default.
      return merge ? undefined : RULE.NEGATE;
    case 'C':
      if (flags & RULE.NO_PREFIXES || sided) return undefined;
      return RULE.NO_PREFIXES | RULE.WORD_SPLIT | RULE.NO_INHERIT | RULE.CVS_IGNORE;
    case 'e':
      return merge ? RULE.EXCLUDE_SELF : undefined;
    case 'n':
      return merge ? RULE.NO_INHERIT : undefined;
    case 'w':
      return merge ? RULE.WORD_SPLIT : undefined;
    case 'p':
      return RULE.PERISHABLE;
    case 'r':
      return sided ? undefined : RULE.RECEIVER_SIDE;
    case 's':
      return sided ? undefined : RULE.SENDER_SIDE;
    case 'x':
      return RULE.XATTR;
    default:
      return undefined;
  }
}

/** Every rule in `text` (parse_filter_str): one, or one per word for a word-splitting merge file. */
export function parseFilterRules(text: string, template: RuleTemplate): ParsedRule[] {
  const rules: ParsedRule[] = [];
  for (let at = 0; ; ) {
    const read = readRule(text, at, template);
    if (read === undefined) return rules;
    rules.push(read.rule);
    at = read.end;
  }
}
