// A file name in JSON output. Names are bytes and JSON strings are Unicode:
// a name that is valid UTF-8 is given as its text, exactly (JSON escapes
// control characters itself); one that is not is given as rsync shows it
// on a terminal (\#ooo for each byte that is not UTF-8) and, exactly, as
// base64 in nameBase64.
import { isUtf8 } from 'node:buffer';
import { displayName } from './display-name.js';

export interface JsonName {
  readonly name: string;
  readonly nameBase64?: string;
}

export function jsonName(bytes: Buffer): JsonName {
  if (isUtf8(bytes)) return { name: bytes.toString('utf8') };
  return { name: displayName(bytes), nameBase64: bytes.toString('base64') };
}
