import type { Clock } from '../shared/ports/clock';

/** A clock that moves only when told to. */
export interface FixedClock extends Clock {
  advance(ms: number): void;
  set(at: Date): void;
}

export function fixedClock(start = new Date('2026-01-01T00:00:00.000Z')): FixedClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = at.getTime();
    },
  };
}
