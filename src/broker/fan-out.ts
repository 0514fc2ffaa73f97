// Several listeners for one run's events: the statistics, the output, later
// the JSON events and the log. Each implements the events it cares about.
import type { RunEvents } from './run-relay.js';

/** Every event, listed so the compiler notices one that is added and not fanned out. */
const EVENTS: Record<keyof RunEvents, true> = {
  settled: true,
  serverStderr: true,
  serverMessage: true,
  deleted: true,
  listed: true,
  fileList: true,
  listsComplete: true,
  item: true,
  progress: true,
  transferred: true,
  ndxDone: true,
  requested: true,
  deleteStats: true,
  senderStats: true,
};

export function fanOut(...listeners: Partial<RunEvents>[]): RunEvents {
  const fan: Partial<Record<keyof RunEvents, (...args: never[]) => void>> = {};
  for (const name of Object.keys(EVENTS) as (keyof RunEvents)[]) {
    fan[name] = (...args: never[]) => {
      for (const listener of listeners) (listener[name] as ((...a: never[]) => void) | undefined)?.apply(listener, args);
    };
  }
  return fan as RunEvents;
}
