// Numbers as rsync prints them (lib/compat.c do_big_num, do_big_dnum):
// -h levels 0 plain digits, 1 (the default) digits grouped by commas, 2 in
// units of 1000, 3 and more in units of 1024; fractions as C's printf
// rounds them.

/** rsync's human_readable level: 0 plain, 1 commas (the default), 2 units of 1000, 3 units of 1024. */
export type HumanLevel = number;

/** A double's exact value: mantissa × 2^exponent. */
function exactParts(value: number): [mantissa: bigint, exponent: number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased === 0) return [fraction, -1074];
  return [fraction | (1n << 52n), biased - 1075];
}

/**
 * printf's "%.Nf": the double's exact value rounded to N decimals, a tie to
 * the even digit as glibc does (toFixed would round 1.125 up to "1.13").
 */
export function fixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [mantissa, exponent] = exactParts(Math.abs(value));
  const scaled = mantissa * 10n ** BigInt(decimals);
  let units: bigint;
  if (exponent >= 0) {
    units = scaled << BigInt(exponent);
  } else {
    const divisor = 1n << BigInt(-exponent);
    units = scaled / divisor;
    const twice = (scaled % divisor) * 2n;
    if (twice > divisor || (twice === divisor && units % 2n === 1n)) units++;
  }
  const digits = units.toString().padStart(decimals + 1, '0');
  const point = digits.length - decimals;
  const text = decimals > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : digits;
  return (value < 0 || Object.is(value, -0) ? '-' : '') + text;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Levels 2 and up: a number at least one unit large, scaled, with two decimals and K, M, G, T or P. */
function withUnits(value: number, level: HumanLevel): string | undefined {
  const mult = level === 2 ? 1000 : 1024;
  if (level < 2 || Math.abs(value) < mult) return undefined;
  let scaled = Math.abs(value) / mult;
  let unit = 'K';
  for (const next of ['M', 'G', 'T', 'P']) {
    if (scaled < mult) break;
    scaled /= mult;
    unit = next;
  }
  return fixed(value < 0 ? -scaled : scaled, 2) + unit;
}

/** An integer count or size (human_num; big_num at level 0). */
export function humanNum(value: number, level: HumanLevel): string {
  const units = withUnits(value, level);
  if (units) return units;
  const digits = Math.trunc(Math.abs(value)).toString();
  return (value < 0 ? '-' : '') + (level > 0 ? group(digits) : digits);
}

/** A count that is grouped but never put in units (comma_num). */
export function commaNum(value: number, level: HumanLevel): string {
  return humanNum(value, Math.min(level, 1));
}

/** A fractional number (human_dnum; comma_dnum with the level at most 1). */
export function humanDnum(value: number, decimals: number, level: HumanLevel): string {
  const plain = fixed(value, decimals);
  if (level === 0 || Math.abs(value) < 1000) return plain;
  // The integer part is grouped or put in units; the fraction printf wrote stays.
  const units = withUnits(Math.trunc(value), level);
  if (units) return units;
  const dot = plain.indexOf('.');
  return humanNum(Math.trunc(value), level) + (dot >= 0 ? plain.slice(dot) : '');
}
