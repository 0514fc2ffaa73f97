// Whether a --chmod value is one rsync accepts (chmod.c parse_chmod):
// comma-separated clauses, each [D|F][ugoa](+|-|=)[rwxXst] or (+|-|=)u|g|o
// to copy a class's bits, or an octal mode of at most 07777. rsync refuses
// the whole value when one clause is wrong.

const OCTAL_MAX = 0o7777;

function validClause(clause: string): boolean {
  let state: 'who' | 'perms' | 'octal' = 'who';
  let only = '';
  let who = false;
  let perms = false;
  let copied = false;
  let octal = 0;
  for (const ch of clause) {
    if (state === 'who') {
      if (ch === 'D' || ch === 'F') {
        // Directories only or files only, not both.
        if (only !== '' && only !== ch) return false;
        only = ch;
      } else if ('ugoa'.includes(ch)) {
        who = true;
      } else if ('+-='.includes(ch)) {
        state = 'perms';
      } else if (/[0-7]/.test(ch) && !who) {
        state = 'octal';
        octal = Number(ch);
      } else {
        return false;
      }
    } else if (state === 'perms') {
      if ('rwxXst'.includes(ch) && !copied) {
        perms = true;
      } else if ('ugo'.includes(ch) && !perms && !copied) {
        copied = true;
      } else {
        return false;
      }
    } else {
      if (!/[0-7]/.test(ch)) return false;
      octal = octal * 8 + Number(ch);
      if (octal > OCTAL_MAX) return false;
    }
  }
  // A clause needs an operator or a mode.
  return state !== 'who';
}

export function validChmod(value: string): boolean {
  return value.split(',').every(validClause);
}
