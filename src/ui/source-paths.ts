// Where an entry lives on the source, for --out-format's %f. rsync's sender
// remembers, for each entry, the directory part of the SRC argument it came
// from (send_file_list's "pathname": "src" for "src/", none for "src",
// what comes before "/./" with -R) and %f joins that with the entry's name.
// The file list does not say which argument an entry came from, so each
// argument is matched by the name it puts at the top of the list.
import { cleanFname } from './out-format.js';

interface SourceArg {
  /** The directory part, or undefined when the argument has none. */
  readonly dir: string | undefined;
  /** The name the argument's top entry has in the file list ("." for a directory's contents). */
  readonly top: string;
}

// Paths are handled as byte strings (latin1), as names are bytes.
const clean = (path: string): string => cleanFname(Buffer.from(path, 'latin1')).toString('latin1');

/** How send_file_list splits one SRC argument. */
function splitArg(arg: string, relative: boolean): SourceArg {
  if (relative) {
    const at = arg.indexOf('/./');
    if (at < 0) return { dir: undefined, top: clean(arg) };
    return { dir: at === 0 ? '/' : clean(arg.slice(0, at)), top: clean(arg.slice(at + 3)) };
  }
  let path = arg;
  if (path === '' || path.endsWith('/')) path = path === './' ? '.' : path + '.';
  else if (path === '..' || path.endsWith('/..')) path += '/.';
  const slash = path.lastIndexOf('/');
  if (slash < 0) return { dir: undefined, top: path };
  return { dir: slash === 0 ? '/' : path.slice(0, slash), top: path.slice(slash + 1) || '.' };
}

function within(name: string, top: string, relative: boolean): boolean {
  if (top === '.') return false;
  // With -R the directories leading to an argument are sent too.
  return name === top || name.startsWith(top + '/') || (relative && top.startsWith(name + '/'));
}

/** %f's path before cleaning, for each entry name: its argument's directory joined with the name (pathjoin). */
export function sourcePaths(sources: readonly string[], relative: boolean): (name: Buffer) => Buffer {
  const args = sources.map((s) => splitArg(Buffer.from(s).toString('latin1'), relative));
  const dirs = new Set(args.map((a) => a.dir));
  const join = (dir: string | undefined, name: Buffer): Buffer =>
    dir === undefined ? name : Buffer.concat([Buffer.from(dir.endsWith('/') ? dir : dir + '/', 'latin1'), name]);
  if (dirs.size <= 1) return (name) => join(args[0]?.dir, name);
  return (name) => {
    const text = clean(name.toString('latin1'));
    const arg = args.find((a) => within(text, a.top, relative)) ?? args.find((a) => a.top === '.') ?? args[0];
    return join(arg?.dir, name);
  };
}
