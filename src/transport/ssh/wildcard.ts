// OpenSSH's host patterns (match.c): `*` matches any run of characters, `?`
// exactly one; everything else is literal. ssh_config `Host` lines and
// known_hosts host fields both use them, so both parsers share this file.

/** True if `text` matches `pattern` as OpenSSH's match_pattern() decides (case-sensitive). */
export function matchPattern(text: string, pattern: string): boolean {
  // Iterative wildcard match: remember the last `*` and retry from one
  // character further on a mismatch, which is linear for these short strings.
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (pc !== undefined && (pc === '?' || pc === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * A comma-separated list of patterns, each possibly negated with `!`, as
 * OpenSSH's match_pattern_list() reads it: -1 if a negated pattern matches
 * (which vetoes the list), 1 if a plain one matches, 0 otherwise. With
 * `lowercasePatterns` the patterns are compared in lower case, as for host names.
 */
export function matchPatternList(text: string, list: string, lowercasePatterns: boolean): -1 | 0 | 1 {
  let positive = false;
  for (let pattern of list.split(',')) {
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1);
    if (lowercasePatterns) pattern = pattern.toLowerCase();
    if (matchPattern(text, pattern)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}
