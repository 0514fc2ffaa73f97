// File names are bytes; on a terminal they are shown as rsync shows them:
// valid UTF-8 as text, control characters and bytes that are not UTF-8 as
// \#ooo (octal), and a backslash that would read as such an escape escaped too.
// A server's log lines get the same treatment (they carry names), all but
// the line ending.
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
    } else if ((b < 0x20 && b !== 0x09) || (b === 0x5c && /^#\d{3}/.test(bytes.toString('latin1', i + 1, i + 5)))) {
      out += escapeByte(b);
      i++;
    } else {
      out += String.fromCharCode(b);
      i++;
    }
  }
  return out;
}

/** A server's log line: escaped like a name, with a final newline or carriage return kept as is. */
export function displayText(bytes: Buffer): string {
  const last = bytes[bytes.length - 1];
  const ending = last === 0x0a || last === 0x0d ? 1 : 0;
  return displayName(bytes.subarray(0, bytes.length - ending)) + (ending ? String.fromCharCode(last!) : '');
}
