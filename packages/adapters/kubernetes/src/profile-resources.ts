/**
 * The Resources port for Kubernetes: what a session asks for (cpu, memory, gpu) becomes
 * requests and limits within configured bounds, and the first matching profile decides where it
 * may run (node selector, tolerations, runtime class) — e.g. a `gpu` profile for GPU nodes.
 */
import { ZCpuQuantity, ZMemoryQuantity } from '@volundr/contracts/profiles';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { ResolvedResources, Resources } from '@volundr/core/sessions/ports/resources';
import { z } from 'zod';
import { parseQuantity, scaleQuantity } from './quantity';

const ZToleration = z.strictObject({
  key: z.string().max(253).optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().max(253).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

export const ZSchedulingProfile = z.strictObject({
  name: z.string().min(1).max(63),
  /** Applies when every given condition holds (none: always). */
  match: z
    .strictObject({
      gpu: z.boolean().optional(),
      minCpu: ZCpuQuantity.optional(),
      minMemory: ZMemoryQuantity.optional(),
    })
    .default({}),
  nodeSelector: z.record(z.string().min(1).max(317), z.string().max(63)).default({}),
  tolerations: z.array(ZToleration).max(20).default([]),
  runtimeClassName: z.string().min(1).max(253).optional(),
});

export const ZProfileResourcesOptions = z.strictObject({
  defaults: z.strictObject({ cpu: ZCpuQuantity.default('1'), memory: ZMemoryQuantity.default('2Gi') }).prefault({}),
  max: z
    .strictObject({
      cpu: ZCpuQuantity.default('8'),
      memory: ZMemoryQuantity.default('32Gi'),
      gpu: z.int().min(0).max(16).default(0),
    })
    .prefault({}),
  /** Limits as a multiple of requests; null leaves that limit unset (cpu: throttling-free by default). */
  limitRatio: z
    .strictObject({
      cpu: z.number().min(1).max(16).nullable().default(null),
      memory: z.number().min(1).max(16).nullable().default(1),
    })
    .prefault({}),
  /** Checked in order; the first that matches adds its scheduling constraints. */
  profiles: z.array(ZSchedulingProfile).max(50).default([]),
});
export type ProfileResourcesOptions = z.input<typeof ZProfileResourcesOptions>;

export function createProfileResources(input: ProfileResourcesOptions = {}): Resources {
  const options = ZProfileResourcesOptions.parse(input);
  const tooMuch = (field: string, asked: string, max: string) =>
    new DomainError('BAD_REQUEST', `resources.${field}: at most ${max} may be requested, not ${asked}`);
  return {
    async resolve(request): Promise<ResolvedResources> {
      const cpu = request.cpu ?? options.defaults.cpu;
      const memory = request.memory ?? options.defaults.memory;
      const gpu = request.gpu ?? 0;
      if (parseQuantity(cpu) > parseQuantity(options.max.cpu)) throw tooMuch('cpu', cpu, options.max.cpu);
      if (parseQuantity(memory) > parseQuantity(options.max.memory))
        throw tooMuch('memory', memory, options.max.memory);
      if (gpu > options.max.gpu)
        throw new DomainError(
          'BAD_REQUEST',
          options.max.gpu === 0
            ? 'resources.gpu: this cluster has no GPUs for sessions'
            : `resources.gpu: at most ${options.max.gpu} GPUs may be requested, not ${gpu}`,
        );
      const profile = options.profiles.find(
        (p) =>
          (p.match.gpu === undefined || p.match.gpu === gpu > 0) &&
          (p.match.minCpu === undefined || parseQuantity(cpu) >= parseQuantity(p.match.minCpu)) &&
          (p.match.minMemory === undefined || parseQuantity(memory) >= parseQuantity(p.match.minMemory)),
      );
      const { cpu: cpuRatio, memory: memoryRatio } = options.limitRatio;
      const limits = {
        ...(cpuRatio !== null ? { cpu: cpuRatio === 1 ? cpu : scaleQuantity(cpu, cpuRatio, 'cpu') } : {}),
        ...(memoryRatio !== null
          ? { memory: memoryRatio === 1 ? memory : scaleQuantity(memory, memoryRatio, 'memory') }
          : {}),
        ...(gpu > 0 ? { gpu } : {}),
      };
      return {
        resources: { requests: { cpu, memory }, limits },
        nodeSelector: profile?.nodeSelector ?? {},
        tolerations: profile?.tolerations ?? [],
        ...(profile?.runtimeClassName ? { runtimeClassName: profile.runtimeClassName } : {}),
      };
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/profile-resources#profileResources", max, profiles }` */
export const profileResources = defineAdapter({
  port: 'resources',
  options: ZProfileResourcesOptions,
  create: (options): Resources => createProfileResources(options),
});
