// File attributes as rsync prints them: permissions like ls (permstring in
// rsync's lib/permstring.c) and times as YYYY/MM/DD hh:mm:ss in local time.
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFSOCK } from '../protocol/constants.js';
import { fileType } from '../protocol/flist-decoder.js';

const TYPE_CHARS: Readonly<Record<number, string>> = {
  [S_IFDIR]: 'd',
  [S_IFLNK]: 'l',
  [S_IFBLK]: 'b',
  [S_IFCHR]: 'c',
  [S_IFSOCK]: 's',
  [S_IFIFO]: 'p',
};

export function permString(mode: number): string {
  const chars = [TYPE_CHARS[fileType(mode)] ?? '-'];
  for (let bit = 8; bit >= 0; bit--) chars.push(mode & (1 << bit) ? 'rwx'[(8 - bit) % 3]! : '-');
  const special = (setBit: number, execIndex: number, on: string, off: string): void => {
    if (mode & setBit) chars[execIndex] = chars[execIndex] === 'x' ? on : off;
  };
  special(0o4000, 3, 's', 'S');
  special(0o2000, 6, 's', 'S');
  special(0o1000, 9, 't', 'T');
  return chars.join('');
}

const two = (n: number): string => String(n).padStart(2, '0');

export function timeString(seconds: number): string {
  const t = new Date(seconds * 1000);
  if (Number.isNaN(t.getTime())) return '(time out of range)';
  return `${String(t.getFullYear()).padStart(4)}/${two(t.getMonth() + 1)}/${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
}
