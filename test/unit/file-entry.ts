// A file-list entry for unit tests: a name, a mode and a size, the rest plain.
import { S_IFREG } from '../../src/protocol/constants.js';
import type { FileEntry } from '../../src/protocol/flist-decoder.js';

export function fileEntry(name: string | Buffer, mode = S_IFREG | 0o644, size = 0): FileEntry {
  return { name: Buffer.isBuffer(name) ? name : Buffer.from(name), mode, size, mtime: 1, uid: 0, gid: 0, linkTarget: undefined, hardLinkFirst: -1 };
}
