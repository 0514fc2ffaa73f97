// Ending a server the run no longer needs. After a failure the broker ends
// a server as plain rsync's client would by going away: its input closes,
// and it says what rsync's servers say then. Only a server still running a
// moment later is told to stop, and one that ignores that is killed.
// Ctrl-C skips the first step.
import type { ExitStatus, ServerProcess } from '../transport/server-process.js';
import { within } from './within.js';

/** How long a server whose input has ended gets to exit by itself. */
const INPUT_END_GRACE_MS = 1_000;
/** How long a stopped server gets before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Ends `server`; settles with how it exited, or undefined when it had to be killed. */
export async function endServer(server: ServerProcess, how: 'gently' | 'now'): Promise<ExitStatus | undefined> {
  if (how === 'gently') {
    server.input.end();
    const status = await within(server.exited, INPUT_END_GRACE_MS);
    if (status) return status;
  }
  server.stop();
  const status = await within(server.exited, STOP_GRACE_MS);
  if (!status) server.kill();
  return status;
}
