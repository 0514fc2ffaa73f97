// The live view on the user's terminal: ink draws the run's progress at
// most ten times a second (however many events arrive in between), at the
// terminal's current size, with whatever was written meanwhile printed
// above it; at the end the last frame stays as the run's summary. It never
// reads the keyboard: Ctrl-C reaches relaysync as the signal it is.
import { render, useStderr, useStdout, type Instance } from 'ink';
import { useLayoutEffect } from 'react';
import type { Writable } from 'node:stream';
import type { RunProgress } from '../run-progress.js';
import { LinesAbove } from './lines-above.js';
import { labelWidth, LiveScreen, rowLines } from './live-screen.js';
import { inFlightRows, viewRows, type ViewContext, type ViewRow } from './view-rows.js';
import { ViewTerminal } from './view-terminal.js';

/** How often the view redraws. */
const REDRAW_MS = 100;
/** The most files in flight listed, room permitting. */
const MOST_IN_FLIGHT = 5;

export interface LiveViewOptions {
  readonly stdout: NodeJS.WriteStream;
  /** A terminal, or wherever stderr was sent: ink only writes to it. */
  readonly stderr: Writable;
  readonly progress: RunProgress;
  readonly context: ViewContext;
}

export class LiveView {
  private readonly above = new LinesAbove();
  /** Where output goes while the view is up: above it. */
  readonly console: { readonly stdout: Writable; readonly stderr: Writable };
  private readonly terminal: ViewTerminal;
  private readonly ink: Instance;
  private readonly timer: NodeJS.Timeout;
  /** The last frame's rows and the width they were laid out for. */
  private shown: { rows: readonly ViewRow[]; columns: number } = { rows: [], columns: 80 };

  constructor(private readonly o: LiveViewOptions) {
    this.console = { stdout: this.above.stream('stdout'), stderr: this.above.stream('stderr') };
    this.terminal = new ViewTerminal(o.stdout, () => this.shownWidths());
    const stdout = this.terminal as unknown as NodeJS.WriteStream;
    this.ink = render(this.frame(), { stdout, stderr: o.stderr as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 / REDRAW_MS });
    // After ink has laid the old frame out anew for the new size, a frame made for it.
    this.terminal.on('resize', () => this.redraw());
    this.timer = setInterval(() => this.redraw(), REDRAW_MS);
  }

  /** The run is over (the progress knows how): the last frame is drawn and left on the terminal. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.terminal.detach();
    this.above.end();
    this.redraw();
    this.ink.unmount();
    await this.ink.waitUntilExit();
  }

  private redraw(): void {
    this.ink.rerender(this.frame());
  }

  /** How wide each line of the last frame is on the terminal. */
  private shownWidths(): number[] {
    const { rows, columns } = this.shown;
    return rows.flatMap((row) => rowLines(row, columns).map((line) => Math.min(labelWidth(columns) + line.length, columns)));
  }

  private frame() {
    const now = Date.now();
    const { progress, context } = this.o;
    progress.sample(now);
    const { columns } = this.terminal;
    // The view stays lower than the terminal: ink redraws a taller one by clearing the screen.
    const room = this.terminal.rows - 1;
    const lines = (rows: readonly ViewRow[]) => rows.reduce((n, row) => n + rowLines(row, columns).length, 0);
    const fixed = viewRows(progress.snapshot(now, 0), context);
    const spare = room - lines(fixed.top) - lines(fixed.bottom) - 1;
    const snapshot = progress.snapshot(now, Math.max(Math.min(spare, MOST_IN_FLIGHT), 0));
    const { top, bottom } = viewRows(snapshot, context);
    const rows = [...top, ...inFlightRows(snapshot, context), ...bottom].slice(0, Math.max(room, 1));
    this.shown = { rows, columns };
    return (
      <>
        <Above lines={this.above} />
        <LiveScreen rows={rows} columns={columns} />
      </>
    );
  }
}

/**
 * Prints what was queued above the view, through ink, which redraws the view
 * below it; in the commit of each frame (a layout effect, never deferred), so
 * the last lines are out before the view closes.
 */
function Above({ lines }: { readonly lines: LinesAbove }) {
  const { write: out } = useStdout();
  const { write: err } = useStderr();
  useLayoutEffect(() => lines.take((stream, text) => (stream === 'stdout' ? out : err)(text)));
  return null;
}
