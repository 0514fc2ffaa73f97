// When the source finds nothing to send it exits after an empty file list,
// but the destination still runs its generator and waits for a sender to
// close each phase. The broker then answers for the sender, as a client
// sender with an empty list would (send_files and read_final_goodbye).
import { ByteQueue, Truncated } from '../protocol/byte-queue.js';
import { NDX_DEL_STATS, NDX_DONE } from '../protocol/constants.js';
import { ProtocolError } from '../protocol/errors.js';
import { readVarint } from '../protocol/ints.js';
import { NdxDecoder, NdxEncoder } from '../protocol/ndx.js';
import { SenderPhases } from './sender-phases.js';

type Stage = 'phases' | 'goodbye' | 'last-goodbye' | 'done';

export class StandInSender {
  private readonly queue = new ByteQueue();
  private readonly ndx: NdxDecoder;
  private readonly done: Buffer;
  private readonly phases: SenderPhases;
  /** The empty list the destination holds until the first NDX_DONE retires it. */
  private readonly lists = { live: 1, dropOldest(): void { this.live--; } };
  private stage: Stage = 'phases';

  constructor(
    private readonly protocol: number,
    incRecurse: boolean,
    /** Queues bytes for the destination. */
    private readonly reply: (bytes: Buffer) => void,
  ) {
    this.ndx = new NdxDecoder(protocol);
    this.done = new NdxEncoder(protocol).encode(NDX_DONE);
    this.phases = new SenderPhases(protocol, incRecurse);
  }

  get finished(): boolean {
    return this.stage === 'done';
  }

  /** Takes the destination's generator output. */
  push(piece: Buffer): void {
    this.queue.push(piece);
    for (;;) {
      const mark = this.queue.mark();
      const ndxState = this.ndx.save();
      let ndx: number;
      try {
        ndx = this.ndx.read(this.queue);
        if (ndx === NDX_DEL_STATS) for (let i = 0; i < 5; i++) readVarint(this.queue);
      } catch (err) {
        if (!(err instanceof Truncated)) throw err;
        this.queue.rewind(mark);
        this.ndx.restore(ndxState);
        break;
      }
      if (ndx !== NDX_DEL_STATS) this.answer(ndx);
    }
    this.queue.discardRead();
  }

  private answer(ndx: number): void {
    if (ndx !== NDX_DONE || this.stage === 'done') {
      throw new ProtocolError(`the receiver asked for file ${ndx}, but the source sent no files`);
    }
    switch (this.stage) {
      case 'phases':
        this.reply(this.done);
        if (this.phases.next(this.lists)) this.stage = this.protocol >= 24 ? 'goodbye' : 'done';
        break;
      case 'goodbye':
        if (this.protocol >= 31) {
          this.reply(this.done);
          this.stage = 'last-goodbye';
        } else {
          this.stage = 'done';
        }
        break;
      case 'last-goodbye':
        this.stage = 'done';
        break;
    }
  }
}
