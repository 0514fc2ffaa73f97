// A TCP relay that holds every chunk for a fixed time in each direction:
// the WAN suite's round-trip delay, since this kernel has no netem. It runs
// inside a host's namespace in front of its sshd:
//
//   node delay-relay.js LISTEN_ADDRESS LISTEN_PORT TARGET_ADDRESS TARGET_PORT ONE_WAY_DELAY_MS
//
// and prints "listening" once connections can come. It must add delay and
// nothing else: it forwards as soon as a chunk is due, sets TCP_NODELAY so
// it adds no coalescing of its own, and holds up to MAX_HELD bytes per
// direction, far above what the WAN rate keeps in flight over the delay, so
// it is never what limits throughput (the bench checks this on every run).
import { createServer, connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** 4 MiB over a 20 ms one-way delay is 1.6 Gbit/s, eight times the WAN suite's 200 Mbit/s. */
const MAX_HELD = 4 * 1024 * 1024;

/** One direction of a connection: chunks wait until they are due, then go out in order. */
class DelayLine {
  private readonly held: { chunk: Buffer; due: number }[] = [];
  private next = 0;
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The receiving socket said to wait for 'drain'. */
  private blocked = false;
  private ended = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    delayMs: number,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.held.push({ chunk, due: performance.now() + delayMs });
      this.heldBytes += chunk.length;
      if (this.heldBytes >= MAX_HELD) from.pause();
      this.schedule();
    });
    from.on('end', () => {
      this.ended = true;
      this.schedule();
    });
    to.on('drain', () => {
      this.blocked = false;
      this.release();
    });
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    while (!this.blocked && this.next < this.held.length && this.held[this.next]!.due <= now) {
      const { chunk } = this.held[this.next++]!;
      this.heldBytes -= chunk.length;
      if (!this.to.write(chunk)) this.blocked = true;
    }
    // Dropping sent entries in batches keeps this linear in the number of chunks.
    if (this.next > 1024) {
      this.held.splice(0, this.next);
      this.next = 0;
    }
    if (this.heldBytes < MAX_HELD && this.from.isPaused()) this.from.resume();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.blocked) return;
    const head = this.held[this.next];
    if (head === undefined) {
      if (this.ended) this.to.end();
      return;
    }
    this.timer = setTimeout(() => this.release(), Math.max(0, head.due - performance.now()));
  }
}

function main(argv: string[]): void {
  const [listenAddress, listenPort, targetAddress, targetPort, delay] = argv;
  const delayMs = Number(delay);
  if (targetPort === undefined || !Number.isFinite(delayMs) || delayMs < 0) {
    process.stderr.write('usage: delay-relay LISTEN_ADDRESS LISTEN_PORT TARGET_ADDRESS TARGET_PORT ONE_WAY_DELAY_MS\n');
    process.exit(2);
  }
  // Half-open sockets let each direction end on its own, after its last held chunk.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: targetAddress!, port: Number(targetPort), noDelay: true, allowHalfOpen: true });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    new DelayLine(client, upstream, delayMs);
    new DelayLine(upstream, client, delayMs);
  });
  server.listen(Number(listenPort), listenAddress, () => process.stdout.write('listening\n'));
  process.on('SIGTERM', () => process.exit(0));
}

main(process.argv.slice(2));
