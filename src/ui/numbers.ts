// Numbers as rsync prints them (lib/compat.c do_big_num): with -h off or
// once, digits grouped by commas; -hh in units of 1000, -hhh of 1024.

/** rsync's human_readable level: 0 plain, 1 commas (the default), 2 units of 1000, 3 units of 1024. */
export type HumanLevel = number;

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

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
  return `${value < 0 ? '-' : ''}${scaled.toFixed(2)}${unit}`;
}

/** An integer count or size (human_num). */
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

/** A fractional number (human_dnum / comma_dnum). */
export function humanDnum(value: number, decimals: number, level: HumanLevel): string {
  const plain = value.toFixed(decimals);
  if (level === 0 || Math.abs(value) < 1000) return plain;
  const units = withUnits(Math.trunc(value), level);
  if (units) return units;
  const dot = plain.indexOf('.');
  return humanNum(Math.trunc(value), level) + (dot >= 0 ? plain.slice(dot) : '');
}
