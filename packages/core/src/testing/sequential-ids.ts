import type { Ids } from '../shared/ports/ids';

/** `prefix-1`, `prefix-2`, ... */
export function sequentialIds(prefix = 'id'): Ids {
  let n = 0;
  return { next: () => `${prefix}-${++n}` };
}
