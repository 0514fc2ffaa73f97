// Reads ssh_config files as OpenSSH 9.2's readconf.c does: every line is
// split up front (so errors name file and line even in blocks that never
// apply), `Include` is expanded where it stands with glob(3) rules, and a
// file someone else could have written is refused.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigLineError, splitConfigLine, type ConfigLine } from './config-line.js';
import { ExpansionError, expandTilde } from './expand.js';
import { expandGlob } from './path-glob.js';

export class SshConfigError extends Error {
  override name = 'SshConfigError';
}

export interface Origin {
  readonly file: string;
  readonly line: number;
}

export interface Setting extends Origin, ConfigLine {
  readonly kind: 'setting';
}

export interface Include extends Origin {
  readonly kind: 'include';
  readonly files: readonly ConfigFile[];
}

export interface ConfigFile {
  readonly path: string;
  readonly directives: readonly (Setting | Include)[];
}

export const SYSTEM_CONFIG_DIR = '/etc/ssh';
/** readconf.c's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;

export function fail(where: Origin, reason: string): never {
  throw new SshConfigError(`${where.file} line ${where.line}: ${reason}`);
}

export interface LoadOptions {
  /** A user file (~/.ssh/config or one given on the command line): relative Includes are under ~/.ssh and may use `~`. */
  readonly userFile: boolean;
  /** OpenSSH checks ownership of ~/.ssh/config and of every included file, but not of /etc/ssh/ssh_config or a file named with -F. */
  readonly checkOwner: boolean;
  readonly home: string;
}

/** Reads and splits one file and everything it includes; null when it does not exist. */
export function loadConfigFile(path: string, options: LoadOptions, depth = 0): ConfigFile | null {
  if (depth > MAX_INCLUDE_DEPTH) {
    throw new SshConfigError(`${path}: too many nested Includes (more than ${MAX_INCLUDE_DEPTH}); is there an Include loop?`);
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SshConfigError(`cannot open ssh configuration file ${path}: ${(err as Error).message}`);
  }
  let text: string;
  try {
    if (options.checkOwner) checkOwnership(path, fd);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const directives: (Setting | Include)[] = [];
  text.split('\n').forEach((raw, index) => {
    const where = { file: path, line: index + 1 };
    let parsed: ConfigLine | null;
    try {
      parsed = splitConfigLine(raw);
    } catch (err) {
      if (err instanceof ConfigLineError) fail(where, err.message);
      throw err;
    }
    if (parsed === null) return;
    if (parsed.keyword === 'include') {
      const paths = parsed.args.flatMap((arg) => includedPaths(arg, options, where));
      const included = { ...options, checkOwner: true };
      directives.push({ kind: 'include', ...where, files: paths.flatMap((p) => loadConfigFile(p, included, depth + 1) ?? []) });
    } else {
      directives.push({ kind: 'setting', ...where, ...parsed });
    }
  });
  return { path, directives };
}

/** OpenSSH refuses configuration that someone other than the user or root could have written. */
function checkOwnership(path: string, fd: number): void {
  const st = fstatSync(fd);
  const uid = process.getuid?.() ?? 0;
  if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new SshConfigError(
      `bad owner or permissions on ${path}: it must belong to you or root and not be writable by group or others (chmod go-w ${path})`,
    );
  }
}

/** An Include argument: relative paths live in ~/.ssh for user files and /etc/ssh for system files. */
function includedPaths(arg: string, options: LoadOptions, where: Origin): string[] {
  if (arg === '') fail(where, 'Include has an empty argument');
  if (arg.startsWith('~') && !options.userFile) fail(where, `bad include path ${arg}: "~" is only allowed in user configuration`);
  let pattern = isAbsolute(arg) || arg.startsWith('~') ? arg : join(options.userFile ? '~/.ssh' : SYSTEM_CONFIG_DIR, arg);
  try {
    pattern = expandTilde(pattern, options.home);
  } catch (err) {
    if (err instanceof ExpansionError) fail(where, `Include ${arg}: ${err.message}`);
    throw err;
  }
  return expandGlob(pattern);
}
