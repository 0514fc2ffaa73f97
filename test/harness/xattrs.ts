// Extended attributes and POSIX ACLs of a tree, for the tests of -X and -A:
// the test file system (ext4 or tmpfs) keeps both, and getfattr shows ACLs
// as their system.posix_acl_* attributes, so one dump covers the two.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Every extended attribute under `root`, one `path: name=value` line each,
 * paths relative to `root`, sorted. Symlinks are not followed.
 */
export async function xattrLines(root: string): Promise<string[]> {
  const { stdout } = await exec('getfattr', ['--recursive', '--physical', '--no-dereference', '--dump', '--match=-', '--encoding=hex', '.'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines: string[] = [];
  let file = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# file: ')) file = line.slice('# file: '.length);
    else if (line !== '') lines.push(`${file}: ${line}`);
  }
  return lines.sort();
}
