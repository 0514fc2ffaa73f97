// The terminal as the live view's ink sees it: the real one, except when
// it gets narrower. A terminal that reflows its lines (tmux, VTE, iTerm2,
// kitty, Windows Terminal) then folds each line of the view that no longer
// fits into several, and ink, which erases as many lines as it drew, would
// leave the top of the old view behind. So before ink hears of the new
// size, the lines the old view takes now are erased, and the cursor is put
// where ink expects it. A terminal that cuts lines instead (xterm) loses as
// many lines above the view as the old one would have folded into.
import { EventEmitter } from 'node:events';

const ESC = '\u001b[';

export class ViewTerminal extends EventEmitter {
  readonly isTTY = true;
  private columnsBefore: number;

  constructor(
    private readonly real: NodeJS.WriteStream,
    /** How wide each line of the view on the terminal is. */
    private readonly shownWidths: () => readonly number[],
  ) {
    super();
    this.columnsBefore = this.columns;
    real.on('resize', this.resized);
  }

  /** A terminal that does not know its size (a pseudo-terminal nobody sized) counts as 80x24. */
  get columns(): number {
    return this.real.columns || 80;
  }

  get rows(): number {
    return this.real.rows || 24;
  }

  write(data: string | Uint8Array, ...rest: unknown[]): boolean {
    return (this.real.write as (d: string | Uint8Array, ...r: unknown[]) => boolean)(data, ...rest);
  }

  /** Stops following the real terminal's size. */
  detach(): void {
    this.real.off('resize', this.resized);
  }

  private readonly resized = (): void => {
    const columns = this.columns;
    if (columns < this.columnsBefore) {
      const widths = this.shownWidths();
      const folded = widths.reduce((n, w) => n + Math.max(Math.ceil(w / columns), 1), 0);
      // ink erases the line below the view and the view's lines above it, from where the cursor is.
      if (folded > widths.length) this.real.write(eraseUp(folded + 1) + `${ESC}${widths.length}B`);
    }
    this.columnsBefore = columns;
    this.emit('resize');
  };
}

/** Erases the cursor's line and `count - 1` lines above it, leaving the cursor at the start of the topmost. */
function eraseUp(count: number): string {
  return `${ESC}2K${`${ESC}1A${ESC}2K`.repeat(count - 1)}${ESC}G`;
}
