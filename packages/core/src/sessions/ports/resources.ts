import type { ResourceRequest } from '@volundr/contracts/profiles';
import type { ComputeResources } from '@volundr/contracts/session-spec';

export interface ResolvedResources {
  resources: ComputeResources;
  nodeSelector: Record<string, string>;
  tolerations: {
    key?: string;
    operator?: 'Equal' | 'Exists';
    value?: string;
    effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }[];
  runtimeClassName?: string;
}

/**
 * Turns what a session asks for (cpu, memory, gpu) into requests/limits and scheduling
 * constraints. Throws `DomainError('BAD_REQUEST')` naming the field when a request cannot be
 * met (more than the configured maximum, GPUs where there are none).
 */
export interface Resources {
  resolve(request: ResourceRequest, owner: { ownerId: string; tenantId: string }): Promise<ResolvedResources>;
}
