// The glob(3) expansion OpenSSH applies to `Include` arguments: `*`, `?` and
// `[...]` within one path component, names starting with `.` only when the
// pattern says so, results in sorted order, nothing for no match.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = /[*?[]/;

/** The existing paths an absolute pattern names, sorted. */
export function expandGlob(pattern: string): string[] {
  let found = ['/'];
  for (const part of pattern.split('/').filter((p) => p !== '')) {
    found = MAGIC.test(part)
      ? found.flatMap((dir) => matchingEntries(dir, part))
      : found.map((dir) => join(dir, part));
  }
  return found.filter(exists).sort();
}

function matchingEntries(dir: string, part: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = componentRegExp(part);
  return names.filter((n) => (part.startsWith('.') || !n.startsWith('.')) && re.test(n)).map((n) => join(dir, n));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** fnmatch() for one component, translated into an anchored RegExp. */
function componentRegExp(part: string): RegExp {
  let src = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else if (ch === '[' && part.indexOf(']', i + 2) > 0) {
      const close = part.indexOf(']', i + 2);
      let set = part.slice(i + 1, close);
      const negated = set.startsWith('!') || set.startsWith('^');
      if (negated) set = set.slice(1);
      src += `[${negated ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (ch === '\\' && i + 1 < part.length) {
      src += escapeRegExp(part[++i]!);
    } else {
      src += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${src}$`, 's');
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
