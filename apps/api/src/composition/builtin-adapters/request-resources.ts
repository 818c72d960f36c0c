import { ZCpuQuantity, ZMemoryQuantity } from '@volundr/contracts/profiles';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { ResolvedResources, Resources } from '@volundr/core/sessions/ports/resources';
import { z } from 'zod';

export const ZRequestResourcesOptions = z.strictObject({
  defaultCpu: ZCpuQuantity.default('1'),
  defaultMemory: ZMemoryQuantity.default('2Gi'),
  maxGpu: z.int().min(0).max(16).default(0),
});
export type RequestResourcesOptions = z.input<typeof ZRequestResourcesOptions>;

/**
 * The built-in resources policy: a session gets what it asks for (or the defaults) as requests,
 * memory also as its limit; GPUs up to `maxGpu`, scheduled on nodes labelled `gpu=true`.
 */
export function createRequestResources(input: RequestResourcesOptions = {}): Resources {
  const options = ZRequestResourcesOptions.parse(input);
  return {
    async resolve(request): Promise<ResolvedResources> {
      const gpu = request.gpu ?? 0;
      if (gpu > options.maxGpu)
        throw new DomainError(
          'BAD_REQUEST',
          options.maxGpu === 0
            ? 'resources.gpu: this server has no GPUs for sessions'
            : `resources.gpu: at most ${options.maxGpu} GPUs may be requested, not ${gpu}`,
        );
      const memory = request.memory ?? options.defaultMemory;
      return {
        resources: {
          requests: { cpu: request.cpu ?? options.defaultCpu, memory },
          limits: { memory, ...(gpu > 0 ? { gpu } : {}) },
        },
        nodeSelector: gpu > 0 ? { gpu: 'true' } : {},
        tolerations: gpu > 0 ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : [],
      };
    },
  };
}

/** `{ use: "@volundr/api/composition/builtin-adapters/request-resources#requestResources", maxGpu }` */
export const requestResources = defineAdapter({
  port: 'resources',
  options: ZRequestResourcesOptions,
  create: (options): Resources => createRequestResources(options),
});
