import { describe, expect, it } from 'vitest';
import { createProfileResources } from './profile-resources';

const owner = { ownerId: 'u-1', tenantId: 't-1' };

describe('profileResources', () => {
  const resources = createProfileResources({
    max: { cpu: '4', memory: '16Gi', gpu: 2 },
    limitRatio: { cpu: 2, memory: 1 },
    profiles: [
      { name: 'gpu', match: { gpu: true }, nodeSelector: { gpu: 'yes' }, runtimeClassName: 'nvidia' },
      { name: 'big', match: { minMemory: '8Gi' }, tolerations: [{ key: 'big', operator: 'Exists' }] },
    ],
  });

  it('turns a request into requests and limits, and the first matching profile into scheduling', async () => {
    expect(await resources.resolve({ cpu: '500m', memory: '8Gi', gpu: 1 }, owner)).toEqual({
      resources: { requests: { cpu: '500m', memory: '8Gi' }, limits: { cpu: '1000m', memory: '8Gi', gpu: 1 } },
      nodeSelector: { gpu: 'yes' },
      tolerations: [],
      runtimeClassName: 'nvidia',
    });
    expect(await resources.resolve({ memory: '8Gi' }, owner)).toMatchObject({
      resources: { requests: { cpu: '1', memory: '8Gi' } },
      tolerations: [{ key: 'big', operator: 'Exists' }],
    });
    expect(await resources.resolve({}, owner)).toMatchObject({ nodeSelector: {}, tolerations: [] });
  });

  it('refuses more than the maximum, naming the field', async () => {
    await expect(resources.resolve({ cpu: '6' }, owner)).rejects.toThrow(
      'resources.cpu: at most 4 may be requested, not 6',
    );
    await expect(resources.resolve({ memory: '32Gi' }, owner)).rejects.toThrow(/resources.memory/);
    await expect(resources.resolve({ gpu: 3 }, owner)).rejects.toThrow('resources.gpu: at most 2 GPUs');
    await expect(createProfileResources().resolve({ gpu: 1 }, owner)).rejects.toThrow('has no GPUs');
  });
});
