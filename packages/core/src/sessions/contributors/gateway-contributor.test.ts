import { describe, expect, it } from 'vitest';
import { fakeGateway } from '../../testing/fake-gateway';
import { aSession } from '../../testing/session-builder';
import { aCleanupContext, aSessionContext } from '../../testing/session-context-builder';
import { gatewayContributor } from './gateway-contributor';

describe('Gateway contributor', () => {
  it('contributes routes and endpoints and removes the routes on cleanup', async () => {
    const gateway = fakeGateway();
    const contributor = gatewayContributor(gateway);
    const session = aSession().withId('s-3').build();
    const { values } = await contributor.contribute(aSessionContext(session));
    expect(values.gateway?.endpoints).toEqual({
      chat: '/s/s-3/ws/chat',
      code: '/s/s-3/ide/',
      terminal: '/s/s-3/terminal/',
    });
    expect(values.gateway?.routes?.map((r) => r?.container)).toEqual(['skuld', 'terminal', 'ide']);
    await contributor.cleanup?.(aCleanupContext(session));
    expect(gateway.calls).toEqual(['ensureRoutes:s-3', 'removeRoutes:s-3']);
  });
});
