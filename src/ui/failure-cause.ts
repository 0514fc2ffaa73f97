// Where a failed run's trouble came from, for its last line. rsync's
// servers report a path they cannot read or write in their own words, which
// are shown as they come ("[web05] rsync: [Receiver] mkdir ... failed");
// with two servers the reader must still work out which host and which end
// that was. This keeps the first such report and says it in the relay's
// terms: which path, on which host, which side, and what to do.
import type { RunEvents } from '../broker/run-relay.js';
import type { MessageKind } from '../broker/message-routing.js';
import { SIDE_NAMES, type Side, type Transport } from '../transport/server-process.js';

/** rsync's report of a system call that failed on a path: `rsync: [sender] change_dir "/x" failed: No such file or directory (2)`. */
const PATH_ERROR = /^rsync: (?:\[[A-Za-z]+\] )?(?<action>[^"]*)"(?<path>[^"]*)"[^:]*: (?<reason>[^:]+) \((?<errno>\d+)\)$/;
/** What rsync prints about its own end, not about a file. */
const NOT_ABOUT_A_PATH = /^rsync(?: error:|: connection unexpectedly closed|: \[\w+\] write error: Broken pipe)/;

const ERRNO = { EPERM: 1, ENOENT: 2, EACCES: 13, ENOTDIR: 20, ENOSPC: 28, EROFS: 30, EDQUOT: 122 } as const;

interface Report {
  readonly side: Side;
  readonly text: string;
  readonly path: RegExpExecArray['groups'] | undefined;
}

export class FailureCause implements Partial<RunEvents> {
  private readonly reports: Report[] = [];

  constructor(private readonly transports: Readonly<{ source: Transport; dest?: Transport }>) {}

  serverMessage(side: Side, level: MessageKind, text: Buffer): void {
    if (level === 'error' || level === 'error-xfer') this.note(side, text.toString('utf8'));
  }

  serverStderr(side: Side, line: string): void {
    this.note(side, line);
  }

  private note(side: Side, message: string): void {
    const text = message.trimEnd();
    if (!text.startsWith('rsync') || NOT_ABOUT_A_PATH.test(text)) return;
    this.reports.push({ side, text, path: PATH_ERROR.exec(text)?.groups });
  }

  /** The first report about a path (or else the first error) in the relay's terms, with how many more there were; undefined when there was none. */
  describe(): string | undefined {
    const first = this.reports.find((r) => r.path) ?? this.reports[0];
    if (!first) return undefined;
    const more = this.reports.length - 1;
    return this.explain(first) + (more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'} above)` : '');
  }

  private explain({ side, text, path }: Report): string {
    const transport = this.transports[side];
    const login = transport?.login;
    const where = `${login ? transport.label : 'this machine'} (${SIDE_NAMES[side]})`;
    if (!path) return `the first error came from ${where}: ${text}`;
    const errno = Number(path.errno);
    // The call that failed: the last word before the path (`recv_generator: mkdir`, `send_files failed to open`).
    const action = path.action!.trim().split(/\s+/).pop()!;
    // A temporary file's name says less than the directory it was to be made in; "dir/." is the directory.
    const name = JSON.stringify((action === 'mkstemp' ? path.path!.replace(/\/[^/]*$/, '') : path.path!.replace(/(.)\/\.$/, '$1')) || '/');
    const reason = path.reason!;
    const who = login?.user !== undefined ? `user ${login.user}` : login ? 'the user relaysync logs in as' : 'the user relaysync runs as';
    switch (errno) {
      case ERRNO.ENOENT:
        if (side === 'dest' && action === 'mkdir') {
          return `cannot create ${name} on ${where}: its parent directory does not exist; create it, or add --mkpath`;
        }
        return `${name} does not exist on ${where}; check the path`;
      case ERRNO.EACCES:
      case ERRNO.EPERM:
        return (
          `${who} may not ${side === 'source' ? 'read' : action === 'mkstemp' ? 'create files in' : 'write to'} ${name} on ${where} (${reason}); ` +
          'give that user access, or log in there as a user who has it'
        );
      case ERRNO.ENOTDIR:
        return `a part of ${name} on ${where} is not a directory; check the path`;
      case ERRNO.EROFS:
        return `${name} is on a read-only file system on ${where}`;
      case ERRNO.ENOSPC:
      case ERRNO.EDQUOT:
        return `no room left for ${name} on ${where} (${reason})`;
      default:
        return `${name} on ${where}: ${reason}`;
    }
  }
}
