// The filter rules relaysync sends each server, built as rsync's client
// builds its filter list (exclude.c parse_filter_str, parse_filter_file,
// send_filter_list and send_rules; options.c; compat.c setup_protocol).
// relaysync is two clients at once: a client receiver toward the source
// and a client sender toward the destination, so each server gets the list
// rsync would send it for its role. Rule files named on the command line
// (--exclude-from, --include-from, `merge`) are read here, on this machine,
// as rsync's client reads them; `dir-merge` rules travel to the servers,
// which read the per-directory files on their side.
import { getSystemErrorMap } from 'node:util';
import { FilterSyntaxError, isSpace, parseFilterRules, type RuleTemplate } from '../cli/filter-syntax.js';
import { cleanPath } from '../cli/option-values.js';
import type { RsyncOptions } from '../cli/rsync-options.js';
import { MAXPATHLEN, RERR } from '../protocol/constants.js';
import {
  encodeRules,
  receiverWantsRules,
  RULE,
  ruleSentTo,
  RulesTooModern,
  type FilterRule,
  type RuleAudience,
  type RuleContext,
} from '../protocol/filter-rules.js';

/** Files on this machine, read where rsync's client reads them. */
export interface LocalRuleFiles {
  /** A file's bytes (its name as bytes); throws as node:fs does. */
  read(name: Buffer): Buffer;
  /** Standard input to its end, for a rule file named "-". */
  readStdin(): Buffer;
  /** The variables rsync's client reads for -C: HOME and CVSIGNORE. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type RuleOptions = Pick<
  RsyncOptions,
  'filters' | 'eolNulls' | 'cvsExclude' | 'deleteMode' | 'deleteExcluded' | 'pruneEmptyDirs' | 'partialDir' | 'delayUpdates'
>;

export interface ClientRulesRequest {
  readonly options: RuleOptions;
  /** The protocol both servers settled on. */
  readonly protocol: number;
  /** Whether there is a destination server (a listing has none). */
  readonly hasDest: boolean;
  readonly files: LocalRuleFiles;
}

/** The encoded lists: the source's always, the destination's when it reads one. */
export interface ClientRuleLists {
  readonly source: Buffer;
  readonly dest: Buffer | undefined;
}

/** Why no rule list could be built, in rsync's words, with rsync's exit code. */
export class ClientRulesError extends Error {
  override readonly name = 'ClientRulesError';

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** CVS's own ignore list, as rsync's manual lists it (usage.c default_cvsignore). */
const DEFAULT_CVSIGNORE =
  'RCS SCCS CVS CVS.adm RCSLOG cvslog.* tags TAGS .make.state .nse_depinfo *~ #* .#* ,* _$* *$ *.old *.bak *.BAK ' +
  '*.orig *.rej .del-* *.a *.olb *.o *.obj *.so *.exe *.Z *.elc *.ln core .svn/ .git/ .hg/ .bzr/';
/** The partial directory rsync uses for --delay-updates without --partial-dir. */
const DELAY_UPDATES_DIR = '.~tmp~';
/** How deep merge files may name merge files (rsync 3.5's MAX_MERGE_DEPTH). */
const MAX_MERGE_DEPTH = 32;
/** The longest line rsync reads from a rule file (BIGPATHBUFLEN less its NUL); a longer one is dropped. */
const LONGEST_LINE = MAXPATHLEN + 1024 - 1;
const SIDES = RULE.SENDER_SIDE | RULE.RECEIVER_SIDE;
const FILTER: RuleTemplate = { flags: 0, oldPrefixes: false };
const EMPTY = Buffer.alloc(0);

/**
 * Where rule text is being read while a file is read (rsync 3.5's
 * rule_src_*): refusals name the place rather than the text.
 */
interface Place {
  /** The file's name; undefined when a rule read from another file named it (the name is then that file's content). */
  readonly file: string | undefined;
  /** For a file named by another: where the naming rule was. */
  readonly namedAt: string | undefined;
  /** The line being read; undefined for a word-splitting file, whose rules are words. */
  line: number | undefined;
}

/** How the text at hand is read: from an argument (no place) or a file, and whether lines end with NUL (--from0). */
interface Reading {
  readonly place: Place | undefined;
  readonly eolNulls: boolean;
}

export function clientRuleLists(request: ClientRulesRequest): ClientRuleLists {
  const o = request.options;
  const ctx: RuleContext = {
    protocol: request.protocol,
    deleteMode: o.deleteMode,
    deleteExcluded: o.deleteExcluded,
    pruneEmptyDirs: o.pruneEmptyDirs,
  };
  try {
    const lists = new ClientFilterList(request);
    const commandLine = lists.commandLine();
    const source = encodeRules(lists.onWire(lists.forServer(commandLine, 'sender'), 'sender'), 'sender', ctx);
    if (!request.hasDest) return { source, dest: undefined };
    // A client sender checks every rule it would send even when the receiver reads none.
    const dest = encodeRules(lists.onWire(lists.forServer(commandLine, 'receiver'), 'receiver'), 'receiver', ctx);
    return { source, dest: receiverWantsRules(ctx) ? dest : undefined };
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new ClientRulesError(err.rsyncMessage, err.exitCode);
    if (err instanceof RulesTooModern) throw new ClientRulesError('filter rules are too modern for remote rsync.', RERR.PROTOCOL);
    throw err;
  }
}

/** rsync's client-side rule state: the lists, CVS's list once made, the merge depth, whether standard input is used up. */
class ClientFilterList {
  private readonly options: RuleOptions;
  private readonly protocol: number;
  private readonly files: LocalRuleFiles;
  /** CVS's ignore list (cvs_filter_list), made at the first -C rule. */
  private cvs: FilterRule[] | undefined;
  private depth = 0;
  private stdinTaken = false;

  constructor(request: ClientRulesRequest) {
    this.options = request.options;
    this.protocol = request.protocol;
    this.files = request.files;
  }

  /** The list the command line makes (options.c), in its order; the rules rsync implies are among the filters already. */
  commandLine(): FilterRule[] {
    const list: FilterRule[] = [];
    for (const f of this.options.filters) {
      const reading: Reading = { place: undefined, eolNulls: 'from0' in f ? f.from0 : this.options.eolNulls };
      const include = f.option === 'include' || f.option === 'include-from' ? RULE.INCLUDE : 0;
      const text = bytesOf(f.text);
      switch (f.option) {
        case 'exclude':
        case 'include':
          this.addText(list, text, { flags: include, oldPrefixes: true }, reading);
          break;
        case 'filter':
          this.addText(list, text, FILTER, reading);
          break;
        case 'exclude-from':
        case 'include-from':
          this.addFile(list, text, { flags: include, oldPrefixes: true }, true, reading);
          break;
      }
    }
    return list;
  }

  /**
   * The list a client of the other role holds when it sends to this
   * server: the command line's, then the partial directory's exclude
   * (setup_protocol), then, from a client sender, -C's rules (send_filter_list).
   */
  forServer(commandLine: readonly FilterRule[], audience: RuleAudience): FilterRule[] {
    const list = [...commandLine];
    const clientIsSender = audience === 'receiver';
    const argument: Reading = { place: undefined, eolNulls: this.options.eolNulls };
    const partialDir = this.options.partialDir ?? (this.options.delayUpdates ? DELAY_UPDATES_DIR : undefined);
    if (partialDir !== undefined && !partialDir.startsWith('/')) {
      // A receiver below protocol 30 cannot read "perishable", so a client sender leaves it off.
      const perishable = !clientIsSender || this.protocol >= 30 ? RULE.PERISHABLE : 0;
      this.addText(list, bytesOf(partialDir), { flags: RULE.NO_PREFIXES | RULE.DIRECTORY | perishable, oldPrefixes: false }, argument);
    }
    // Toward a sender the server adds CVS's rules itself (its C letter).
    if (this.options.cvsExclude && clientIsSender) {
      if (this.protocol >= 29) this.addText(list, ':C', FILTER, argument);
      this.addText(list, '-C', FILTER, argument);
    }
    return list;
  }

  /**
   * The rules as they go on the wire (send_rules): a -C rule stands for
   * CVS's list, which a client sender sends in its place, and so does any
   * client before protocol 29; from protocol 29 a server sender is sent
   * the rule and makes the list itself.
   */
  onWire(list: readonly FilterRule[], audience: RuleAudience): FilterRule[] {
    return list.flatMap((rule) => {
      const cvsRule = (rule.flags & RULE.CVS_IGNORE) !== 0 && !(rule.flags & RULE.MERGE_FILE);
      if (!cvsRule || !ruleSentTo(rule, audience, this.options.deleteExcluded)) return [rule];
      return audience === 'receiver' || this.protocol < 29 ? this.cvs! : [rule];
    });
  }

  /** parse_filter_str: each rule of `text` (bytes as latin1 characters) into `list`; a merge file is read in its place. */
  private addText(list: FilterRule[], text: string, template: RuleTemplate, reading: Reading): void {
    const from = reading.place === undefined ? undefined : describePlace(reading.place);
    for (const parsed of parseFilterRules(text, { ...template, from })) {
      // rsync drops a pattern too long for a path.
      if (parsed.pattern.length >= MAXPATHLEN) continue;
      let flags = parsed.flags;
      // --delete-excluded makes every plain include and exclude the sender's alone.
      if (this.options.deleteExcluded && !(flags & (SIDES | RULE.MERGE_FILE))) flags |= RULE.SENDER_SIDE;
      if (flags & RULE.CLEAR_LIST) {
        list.length = 0;
        continue;
      }
      if (flags & RULE.EXCLUDE_SELF) {
        addRule(list, baseName(parsed.pattern), 0);
        flags &= ~RULE.EXCLUDE_SELF;
      }
      if (flags & RULE.MERGE_FILE && !(flags & RULE.PERDIR_MERGE)) {
        this.addFile(list, mergeFileName(parsed.pattern), { flags, oldPrefixes: false }, true, reading);
        continue;
      }
      addRule(list, parsed.pattern, flags);
      if (flags & RULE.CVS_IGNORE && !(flags & RULE.MERGE_FILE)) this.makeCvsList(flags, reading);
    }
  }

  /**
   * parse_filter_file: the rules of a file on this machine, a line (or, for
   * a word-splitting merge, a word) at a time; lines starting with ';' or
   * '#' are comments. A file that cannot be opened ends the run when it was
   * asked for (`fatal`), and is skipped otherwise.
   */
  private addFile(list: FilterRule[], name: string, template: RuleTemplate, fatal: boolean, reading: Reading): void {
    if (name === '') return;
    // A name read from a file is that file's content: rsync names the place instead.
    const namedAt = reading.place === undefined ? undefined : describePlace(reading.place);
    const shown = namedAt === undefined ? textOf(name) : `<rule from ${namedAt}>`;
    if (this.depth >= MAX_MERGE_DEPTH) {
      if (fatal) throw new ClientRulesError(`merge-file include depth limit (${MAX_MERGE_DEPTH}) exceeded at ${shown}`, RERR.FILEIO);
      return;
    }
    let data: Buffer;
    try {
      data = this.read(name);
    } catch (err) {
      if (!fatal) return;
      const what = `failed to open ${template.flags & RULE.INCLUDE ? 'in' : 'ex'}clude file ${shown}`;
      // Nor does it say why, which would tell whether that path exists.
      throw new ClientRulesError(namedAt === undefined ? `${what}: ${strerror(err)}` : what, RERR.FILEIO);
    }
    const wordSplit = (template.flags & RULE.WORD_SPLIT) !== 0;
    const place: Place = { file: namedAt === undefined ? textOf(name) : undefined, namedAt, line: wordSplit ? undefined : 0 };
    const inFile: Reading = { place, eolNulls: reading.eolNulls };
    this.depth++;
    for (const piece of rulePieces(data, wordSplit, reading.eolNulls)) {
      if (place.line !== undefined) place.line++;
      if (piece !== '' && (wordSplit || (piece[0] !== ';' && piece[0] !== '#'))) this.addText(list, piece, template, inFile);
    }
    this.depth--;
  }

  /** A rule file's bytes: "-" is standard input, which is read once (a second "-" reads nothing). */
  private read(name: string): Buffer {
    if (name === '-') {
      if (this.stdinTaken) return EMPTY;
      this.stdinTaken = true;
      return this.files.readStdin();
    }
    try {
      return this.files.read(Buffer.from(name, 'latin1'));
    } catch (err) {
      // rsync opens a directory and reads nothing from it.
      if ((err as NodeJS.ErrnoException).code === 'EISDIR') return EMPTY;
      throw err;
    }
  }

  /**
   * get_cvs_excludes: CVS's default list (perishable where the servers
   * know the modifier), then ~/.cvsignore and $CVSIGNORE, all split on
   * whitespace; made once, with the modifiers of the first -C rule.
   */
  private makeCvsList(flags: number, reading: Reading): void {
    if (this.cvs !== undefined) return;
    const cvs: FilterRule[] = [];
    this.cvs = cvs;
    const perishable = this.protocol >= 30 ? RULE.PERISHABLE : 0;
    this.addText(cvs, DEFAULT_CVSIGNORE, { flags: flags | perishable, oldPrefixes: false }, reading);
    const template: RuleTemplate = { flags, oldPrefixes: false };
    const home = this.files.env.HOME;
    if (home !== undefined) this.addFile(cvs, `${bytesOf(home.endsWith('/') ? home : `${home}/`)}.cvsignore`, template, false, reading);
    const names = this.files.env.CVSIGNORE;
    if (names !== undefined) this.addText(cvs, bytesOf(names), template, reading);
  }
}

/** add_rule: a trailing slash means "directories only"; a per-directory merge file already in the list is not added again. */
function addRule(list: FilterRule[], text: string, flags: number): void {
  let pattern = text;
  if (pattern.length > 1 && pattern.endsWith('/')) {
    pattern = pattern.slice(0, -1);
    flags |= RULE.DIRECTORY;
  }
  if (flags & RULE.PERDIR_MERGE) {
    const name = baseName(pattern);
    if (list.some((rule) => rule.flags & RULE.PERDIR_MERGE && baseName(rule.pattern.toString('latin1')) === name)) return;
  }
  list.push({ flags, pattern: Buffer.from(pattern, 'latin1') });
}

function baseName(pattern: string): string {
  return pattern.slice(pattern.lastIndexOf('/') + 1);
}

/** parse_merge_name on the client: a name with a slash is cleaned, one without is used as it is. */
function mergeFileName(pattern: string): string {
  return pattern.includes('/') ? cleanPath(pattern) : pattern;
}

/** rule_src_where: "FILE line N", "FILE" for words, or where the file was named. */
function describePlace(place: Place): string {
  if (place.file === undefined) return place.namedAt === undefined ? 'a file read earlier' : `a file named at ${place.namedAt}`;
  return place.line === undefined ? place.file : `${place.file} line ${place.line}`;
}

/**
 * The pieces of a rule file as parse_filter_file reads them: lines ending
 * at LF, CR or CRLF (NUL with --from0), or words for a word-splitting
 * merge; a piece ends at a NUL byte as a C string does, and one too long
 * for rsync's line buffer is dropped. Pieces are bytes as latin1 characters.
 */
function* rulePieces(data: Buffer, wordSplit: boolean, eolNulls: boolean): Generator<string> {
  const text = data.toString('latin1');
  let at = 0;
  for (;;) {
    const start = at;
    let end = text.length;
    while (at < text.length) {
      const ch = text[at++]!;
      if (wordSplit && isSpace(ch)) {
        end = at - 1;
        break;
      }
      if (eolNulls ? ch === '\0' : ch === '\n' || ch === '\r') {
        end = at - 1;
        if (ch === '\r' && text[at] === '\n') at++;
        break;
      }
    }
    const piece = end - start > LONGEST_LINE ? '' : text.slice(start, end);
    const nul = piece.indexOf('\0');
    yield nul < 0 ? piece : piece.slice(0, nul);
    if (end === text.length) return;
  }
}

/** Text from the command line or the environment as its bytes, one latin1 character each, as rule files are read. */
function bytesOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Bytes held as latin1 characters, back as text to show. */
function textOf(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** rsyserr's "Message (errno)", in the C library's words as far as Node knows them. */
function strerror(err: unknown): string {
  const { errno, message } = err as NodeJS.ErrnoException;
  const known = errno === undefined ? undefined : getSystemErrorMap().get(errno);
  if (known === undefined) return message;
  return `${known[1].charAt(0).toUpperCase()}${known[1].slice(1)} (${-errno!})`;
}
