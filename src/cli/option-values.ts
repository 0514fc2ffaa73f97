// Option values as rsync reads them: integers the way popt does, sizes with
// suffixes the way parse_size_arg() does (options.c), and directory names
// cleaned the way clean_fname() does (util1.c). Errors carry rsync's words.
import { CliError } from './cli-error.js';
import { humanNum } from '../ui/numbers.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * An integer option value (popt's POPT_ARG_INT: strtoll with base 0, so
 * 0x10 is 16 and 010 is 8; an empty value is 0). `shown` is the option as
 * rsync's message names it.
 */
export function poptInt(text: string, shown: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (match === null && text !== '') throw new CliError(`${shown}: invalid numeric value`);
  if (match === null) return 0;
  const [, sign, digits] = match as unknown as [string, string, string];
  const magnitude = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value < BigInt(INT_MIN) || value > BigInt(INT_MAX)) throw new CliError(`${shown}: number too large or too small`);
  return Number(value);
}

/** The largest size rsync represents (SIZE_MAX / 2 on a 64-bit machine). */
const SIZE_MAX = 2n ** 63n - 1n;
const UNIT_POWERS: Readonly<Record<string, number>> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

export interface SizeLimits {
  /** The unit of a bare number: 'b' bytes, 'K' KiB. */
  readonly defaultUnit: 'b' | 'K' | 'B';
  readonly min: bigint;
  /** undefined = no maximum below SIZE_MAX. */
  readonly max?: bigint;
  /** 0 is allowed below the minimum and means "no limit". */
  readonly zeroIsUnlimited: boolean;
}

/**
 * A size: a number (with a fraction if need be), an optional unit K, M, G,
 * T or P, in 1024s, or 1000s when followed by B ("KB"), or 1024s with "iB"
 * ("KiB"), and an optional "+1" or "-1" after it.
 */
export function parseSize(text: string, option: string, limits: SizeLimits): bigint {
  const fail = (what: 'invalid' | 'too large' | 'too small'): never => {
    let message = `--${option}=${text} is ${what}`;
    const limit = what === 'too large' ? limits.max : what === 'too small' ? limits.min : undefined;
    if (limit !== undefined) {
      const unlimited = what === 'too small' && limits.zeroIsUnlimited ? ' or 0 for unlimited' : '';
      message += ` (${what === 'too large' ? 'max' : 'min'}: ${humanNum(Number(limit), 3)}${unlimited})`;
    }
    throw new CliError(message);
  };
  const sizeMax = limits.max ?? SIZE_MAX;
  // The digits, then the unit right after them.
  const number = /^\d*(?:\.\d*)?/.exec(text)![0];
  let rest = text.slice(number.length);
  let unit: string = limits.defaultUnit;
  if (rest !== '' && rest[0] !== '+' && rest[0] !== '-') {
    unit = rest[0]!;
    rest = rest.slice(1);
  }
  const power = UNIT_POWERS[unit.toLowerCase()];
  if (power === undefined) return fail('invalid');
  let base: bigint;
  if (rest[0] === 'b' || rest[0] === 'B') {
    base = 1000n;
    rest = rest.slice(1);
  } else if (rest === '' || rest[0] === '+' || rest[0] === '-') {
    base = 1024n;
  } else if (rest.slice(0, 2).toLowerCase() === 'ib') {
    base = 1024n;
    rest = rest.slice(2);
  } else {
    return fail('invalid');
  }
  let scale = 1n;
  for (let i = 0; i < power; i++) {
    if (scale > sizeMax / base) return fail('too large');
    scale *= base;
  }
  const amount = strtod(text);
  const ceiling = Number(sizeMax) / Number(scale);
  if (!Number.isFinite(amount) || amount < 0 || amount > ceiling || (limits.max === undefined && amount >= ceiling)) {
    return fail('too large');
  }
  let size = BigInt(Math.trunc(amount * Number(scale)));
  if ((rest[0] === '+' || rest[0] === '-') && rest[1] === '1' && rest !== text) {
    if (rest[0] === '+') {
      if (size === sizeMax) return fail('too large');
      size++;
    } else {
      size--;
    }
    rest = rest.slice(2);
  }
  if (rest !== '') return fail('invalid');
  if (size < 0n || (limits.max !== undefined && size > limits.max)) return fail('too large');
  if (size < limits.min && !(limits.zeroIsUnlimited && size === 0n)) return fail('too small');
  return size;
}

/** C's strtod() of a whole value: its leading number, sign included, or 0 when there is none. */
function strtod(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/**
 * A path cleaned as clean_fname() does with CFN_COLLAPSE_DOT_DOT_DIRS:
 * no repeated or trailing slashes, no "." components, "dir/.." removed
 * where a directory precedes it, "." for nothing left.
 */
export function cleanPath(name: string): string {
  const out: string[] = [];
  const anchored = name.startsWith('/');
  let f = 0;
  let t = 0;
  // Components before this index are ".." that cannot be collapsed.
  let limit = 0;
  if (anchored) out[t++] = name[f++]!;
  const dotDotAt = (i: number) => name[i + 1] === '.' && (name[i + 2] === '/' || i + 2 === name.length);
  while (f < name.length) {
    if (name[f] === '/') {
      f++;
      continue;
    }
    if (name[f] === '.') {
      if (name[f + 1] === '/') {
        f += 2;
        continue;
      }
      if (dotDotAt(f)) {
        let s = t - 1;
        if (s === 0 && anchored) {
          f += 2;
          continue;
        }
        while (s > limit && out[s - 1] !== '/') s--;
        if (s !== t - 1 && (s <= 0 || out[s - 1] === '/')) {
          t = s;
          f += 2;
          continue;
        }
        limit = t + 2;
      }
    }
    while (f < name.length) {
      const ch = name[f++]!;
      out[t++] = ch;
      if (ch === '/') break;
    }
  }
  if (t > (anchored ? 1 : 0) && out[t - 1] === '/') t--;
  return t === 0 ? '.' : out.slice(0, t).join('');
}
