import { describe, expect, it } from 'vitest';
import { fakeResources } from '../../testing/fake-resources';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { resourceContributor } from './resource-contributor';

describe('Resource contributor', () => {
  it('sets requests, limits and GPU scheduling from the launch', async () => {
    const session = aSession()
      .with({ launch: aLaunch({ resources: { cpu: '2', memory: '4Gi', gpu: 1 } }) })
      .build();
    const { values, podSpec } = await resourceContributor(fakeResources({ maxGpu: 1 })).contribute(
      aSessionContext(session),
    );
    expect(values.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi', gpu: 1 } });
    expect(podSpec).toMatchObject({ nodeSelector: { gpu: 'true' }, runtimeClassName: 'nvidia' });
    expect(podSpec.tolerations).toHaveLength(1);
  });

  it('passes on a request the provider refuses', async () => {
    const session = aSession()
      .with({ launch: aLaunch({ resources: { gpu: 4 } }) })
      .build();
    await expect(
      resourceContributor(fakeResources({ maxGpu: 1 })).contribute(aSessionContext(session)),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('resources.gpu'),
    });
  });
});
