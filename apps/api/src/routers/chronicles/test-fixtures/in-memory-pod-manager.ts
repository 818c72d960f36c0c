import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { InMemoryPodManager } from '@volundr/core/testing/in-memory-pod-manager';
import { z } from 'zod';

/**
 * Test double of the PodManager port as a configurable adapter: sessions become running at
 * once and stop at once, so API tests drive the real reconciler without launching processes.
 */
export const inMemoryPodManager = defineAdapter({
  port: 'podManager',
  options: z.strictObject({}),
  create: () => new InMemoryPodManager('ready'),
});
