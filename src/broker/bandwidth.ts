// --bwlimit: the broker holds the relayed stream to an average rate. After
// each chunk it says how long to stop reading so that the bytes so far have
// not come faster than the limit allows; short waits are saved up (rsync's
// sleep_for_bwlimit does the same) so that timers do not fire per packet.

/** Waits shorter than this are carried over rather than taken. */
const MIN_WAIT_MS = 100;

export class RateLimiter {
  private bytes = 0;
  private readonly started: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Counts bytes relayed; returns how many milliseconds to pause before reading on (0: go on). */
  took(bytes: number): number {
    this.bytes += bytes;
    const due = (this.bytes * 1000) / this.bytesPerSecond;
    const ahead = due - (this.now() - this.started);
    return ahead >= MIN_WAIT_MS ? Math.ceil(ahead) : 0;
  }
}
