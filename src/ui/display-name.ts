// Text that carries file names is bytes; rsync filters it on its way out
// (log.c rwrite and filtered_fwrite), differently for the terminal and for
// the log file. On the terminal (a UTF-8 locale): valid UTF-8 as text,
// control characters but the tab and bytes that are not UTF-8 as \#ooo
// (octal), and a backslash that would read as such an escape escaped too.
// In the log file: bytes as they are, but control characters, the C1 range
// 0x80-0x9f and such a backslash escaped. A message's final newline or
// carriage return stays as it is, and so does a carriage return first.
const decoder = new TextDecoder('utf-8', { fatal: true });

function escapeByte(byte: number): string {
  return '\\#' + byte.toString(8).padStart(3, '0');
}

/** Bytes of a valid UTF-8 sequence starting at i, or 0. */
function utf8Length(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  const length = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  try {
    decoder.decode(bytes.subarray(i, i + length));
    return length;
  } catch {
    return 0;
  }
}

/** A backslash followed by '#' and three digits before end, which would read as an escape. */
function looksEscaped(bytes: Buffer, i: number, end: number): boolean {
  return bytes[i] === 0x5c && i + 4 < end && bytes[i + 1] === 0x23 && [2, 3, 4].every((k) => bytes[i + k]! >= 0x30 && bytes[i + k]! <= 0x39);
}

const isControl = (b: number): boolean => b < 0x20 && b !== 0x09;

export function displayName(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b >= 0x80) {
      const length = utf8Length(bytes, i);
      if (length === 0) {
        out += escapeByte(b);
        i++;
      } else {
        out += bytes.toString('utf8', i, i + length);
        i += length;
      }
    } else if (isControl(b) || looksEscaped(bytes, i, bytes.length)) {
      out += escapeByte(b);
      i++;
    } else {
      out += String.fromCharCode(b);
      i++;
    }
  }
  return out;
}

/** A message's body and the line ending and leading carriage return that pass unfiltered. */
function split(bytes: Buffer): [lead: string, body: Buffer, end: string] {
  const last = bytes[bytes.length - 1];
  const ending = last === 0x0a || last === 0x0d ? 1 : 0;
  const lead = bytes.length > ending && bytes[0] === 0x0d ? 1 : 0;
  return [lead ? '\r' : '', bytes.subarray(lead, bytes.length - ending), ending ? String.fromCharCode(last!) : ''];
}

/** A message for the terminal, filtered like a name. */
export function displayText(bytes: Buffer): string {
  const [lead, body, end] = split(bytes);
  return lead + displayName(body) + end;
}

/** A message for the log file (logit): its bytes, with control and C1 characters escaped. */
export function logFileText(bytes: Buffer): Buffer {
  const last = bytes[bytes.length - 1];
  const ending = last === 0x0a || last === 0x0d ? 1 : 0;
  const parts: Buffer[] = [];
  let from = 0;
  const end = bytes.length - ending;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (isControl(b) || (b >= 0x80 && b <= 0x9f) || looksEscaped(bytes, i, end)) {
      parts.push(bytes.subarray(from, i), Buffer.from(escapeByte(b), 'latin1'));
      from = i + 1;
    }
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}
