import { isDomainError } from '../errors';

/**
 * Runs `step` (which must re-read what it writes) again when another writer got there first.
 * After `times` lost races the CONCURRENT_MODIFICATION error reaches the caller.
 */
export async function retryOnConflict<T>(step: () => Promise<T>, times = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(isDomainError(error) && error.code === 'CONCURRENT_MODIFICATION') || attempt >= times) throw error;
    }
  }
}
