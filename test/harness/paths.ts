// Paths inside test trees are bytes: names that are not UTF-8 must survive
// every step, so they are decoded only to be shown.

/** A path inside a tree, `/`-separated; a Buffer for names that are not valid UTF-8. */
export type TreePath = string | Buffer;

export function pathBytes(path: TreePath): Buffer {
  return typeof path === 'string' ? Buffer.from(path, 'utf8') : path;
}

/** `root/relative` as bytes; `relative` must stay inside the tree. */
export function inTree(root: TreePath, relative: TreePath): Buffer {
  const bytes = pathBytes(relative);
  // An empty segment comes from a leading, doubled or trailing slash, or from an empty path.
  const segments = bytes.toString('latin1').split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`not a relative path inside the tree: ${displayPath(bytes)}`);
  }
  return Buffer.concat([pathBytes(root), Buffer.from('/'), bytes]);
}

/** The relative paths of the directories above `relative`, nearest first (not the root). */
export function ancestors(relative: TreePath): Buffer[] {
  const bytes = pathBytes(relative);
  const found: Buffer[] = [];
  for (let slash = bytes.lastIndexOf(0x2f); slash > 0; slash = bytes.lastIndexOf(0x2f, slash - 1)) {
    found.push(bytes.subarray(0, slash));
  }
  return found;
}

/** A quoted, readable rendering: UTF-8 as text with JSON escapes, other bytes as \xNN. The root is `.`. */
export function displayPath(path: TreePath): string {
  const bytes = pathBytes(path);
  if (bytes.length === 0) return '.';
  try {
    return JSON.stringify(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    let shown = '';
    for (const byte of bytes) {
      const char = String.fromCharCode(byte);
      if (char === '"' || char === '\\') shown += `\\${char}`;
      else if (byte >= 0x20 && byte < 0x7f) shown += char;
      else shown += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
    return `"${shown}"`;
  }
}
