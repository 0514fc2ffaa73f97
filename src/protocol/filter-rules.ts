// Filter rules as the client sends them to a server (exclude.c
// send_rules and get_rule_prefix): rsync's rule model, written for one
// server's role. The sender gets the rules that decide what is sent; the
// receiver gets them only when it deletes or prunes, minus the rules that
// concern the sending side alone.
import { encodeInt } from './ints.js';

export const RULE = {
  INCLUDE: 1 << 4,
  CLEAR_LIST: 1 << 5,
  DIRECTORY: 1 << 6,
  ABS_PATH: 1 << 7,
  NEGATE: 1 << 8,
  MERGE_FILE: 1 << 9,
  PERDIR_MERGE: 1 << 10,
  NO_PREFIXES: 1 << 11,
  NO_INHERIT: 1 << 12,
  WORD_SPLIT: 1 << 13,
  CVS_IGNORE: 1 << 14,
  EXCLUDE_SELF: 1 << 15,
  XATTR: 1 << 16,
  SENDER_SIDE: 1 << 17,
  RECEIVER_SIDE: 1 << 18,
  PERISHABLE: 1 << 19,
} as const;

export interface FilterRule {
  readonly flags: number;
  readonly pattern: Buffer;
}

/** Which end of the relay a rule list is for: the server sender or the server receiver. */
export type RuleAudience = 'sender' | 'receiver';

export interface RuleContext {
  readonly protocol: number;
  readonly deleteMode: boolean;
  readonly deleteExcluded: boolean;
  readonly pruneEmptyDirs: boolean;
}

/** A receiver reads filter rules only when it deletes or prunes (recv_filter_list). */
export function receiverWantsRules(ctx: RuleContext): boolean {
  return ctx.pruneEmptyDirs || (ctx.deleteMode && (!ctx.deleteExcluded || ctx.protocol >= 29));
}

export class RulesTooModern extends Error {}

/**
 * The prefix of a rule on the wire (get_rule_prefix for a transfer). Before
 * protocol 29 only "+ " and "- " exist, so a rule needing more is refused.
 */
function wirePrefix(rule: FilterRule, audience: RuleAudience, ctx: RuleContext): string {
  const old = ctx.protocol < 29;
  const clientIsSender = audience === 'receiver';
  // Before 29 a rule is a bare pattern or one of "+ " and "- " (one character of prefix).
  let legal = old ? 1 : Infinity;
  let out = '';
  if (rule.flags & RULE.PERDIR_MERGE) {
    if (old) throw new RulesTooModern();
    out += ':';
  } else if (rule.flags & RULE.INCLUDE) {
    out += '+';
  } else if (!old || /^[-+] /.test(rule.pattern.toString('latin1'))) {
    out += '-';
  } else {
    legal = 0;
  }
  if (rule.flags & RULE.ABS_PATH) out += '/';
  if (rule.flags & RULE.NEGATE) out += '!';
  if (rule.flags & RULE.CVS_IGNORE) {
    out += 'C';
  } else {
    if (rule.flags & RULE.NO_INHERIT) out += 'n';
    if (rule.flags & RULE.WORD_SPLIT) out += 'w';
    if (rule.flags & RULE.NO_PREFIXES) out += rule.flags & RULE.INCLUDE ? '+' : '-';
  }
  if (rule.flags & RULE.EXCLUDE_SELF) out += 'e';
  if (rule.flags & RULE.XATTR) out += 'x';
  if (rule.flags & RULE.SENDER_SIDE && !old) out += 's';
  if (rule.flags & RULE.RECEIVER_SIDE && (!old || (ctx.deleteExcluded && clientIsSender))) out += 'r';
  if (rule.flags & RULE.PERISHABLE) {
    if (ctx.protocol >= 30) out += 'p';
    else if (clientIsSender) throw new RulesTooModern();
  }
  if (out.length > legal) throw new RulesTooModern();
  return legal ? out + ' ' : out;
}

/**
 * Whether a rule goes to a server of this role (send_rules' elide): rules
 * for the sending side only stay off a receiver, rules for the receiving
 * side only stay off a sender, and with --delete-excluded a plain rule (or
 * a per-directory merge whose files hold plain patterns) concerns the
 * sender only, so that the receiver deletes what it excludes.
 */
export function ruleSentTo(rule: FilterRule, audience: RuleAudience, deleteExcluded: boolean): boolean {
  const sender = (rule.flags & RULE.SENDER_SIDE) !== 0;
  const receiver = (rule.flags & RULE.RECEIVER_SIDE) !== 0;
  if (sender && receiver) return true;
  if (sender) return audience === 'sender';
  if (receiver) return audience === 'receiver';
  const plain = !(rule.flags & RULE.PERDIR_MERGE) || (rule.flags & RULE.NO_PREFIXES) !== 0;
  return !(deleteExcluded && plain) || audience === 'sender';
}

/** The rule list a server reads (send_filter_list): length-prefixed rules, then 0. */
export function encodeRules(rules: readonly FilterRule[], audience: RuleAudience, ctx: RuleContext): Buffer {
  const parts: Buffer[] = [];
  for (const rule of rules) {
    if (!ruleSentTo(rule, audience, ctx.deleteExcluded)) continue;
    const prefix = Buffer.from(wirePrefix(rule, audience, ctx), 'latin1');
    const suffix = rule.flags & RULE.DIRECTORY ? 1 : 0;
    const length = prefix.length + rule.pattern.length + suffix;
    if (length === 0) continue;
    parts.push(encodeInt(length), prefix, rule.pattern);
    if (suffix) parts.push(Buffer.from('/'));
  }
  parts.push(encodeInt(0));
  return Buffer.concat(parts);
}
