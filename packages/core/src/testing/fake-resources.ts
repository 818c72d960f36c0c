import { DomainError } from '../errors';
import type { ResolvedResources, Resources } from '../sessions/ports/resources';

/** Test double of Resources: requests as asked, GPUs up to `maxGpu` on nodes labelled `gpu=true`. */
export function fakeResources(options: { maxGpu?: number } = {}): Resources {
  const maxGpu = options.maxGpu ?? 0;
  return {
    async resolve(request): Promise<ResolvedResources> {
      if ((request.gpu ?? 0) > maxGpu)
        throw new DomainError(
          'BAD_REQUEST',
          `resources.gpu: at most ${maxGpu} GPUs may be requested, not ${request.gpu}`,
        );
      const gpu = request.gpu ?? 0;
      return {
        resources: {
          requests: { cpu: request.cpu ?? '500m', memory: request.memory ?? '1Gi' },
          limits: { memory: request.memory ?? '1Gi', ...(gpu > 0 ? { gpu } : {}) },
        },
        nodeSelector: gpu > 0 ? { gpu: 'true' } : {},
        tolerations: gpu > 0 ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : [],
        ...(gpu > 0 ? { runtimeClassName: 'nvidia' } : {}),
      };
    },
  };
}
