import { describe, expect, it } from 'vitest';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { coreContributor } from './core-contributor';

describe('Core contributor', () => {
  it('sets the session identity and the broker, terminal and IDE services', async () => {
    const session = aSession()
      .withId('s-9')
      .named('api')
      .with({ launch: aLaunch({ model: 'gpt-codex', cli: 'codex', terminalRestricted: true }) })
      .starting()
      .build();
    const { values, podSpec } = await coreContributor({ apiUrl: 'http://api:8080' }).contribute(
      aSessionContext(session),
    );
    expect(values.session).toEqual({
      id: 's-9',
      name: 'api',
      ownerId: 'u-alice',
      tenantId: 't-1',
      model: 'gpt-codex',
      cli: 'codex',
    });
    expect(values.agent).toEqual({ terminalRestricted: true });
    expect(podSpec.containers?.map((c) => [c?.name, c?.role])).toEqual([
      ['skuld', 'broker'],
      ['terminal', 'terminal'],
      ['ide', 'ide'],
    ]);
    const broker = podSpec.containers?.[0];
    expect(broker?.env).toContainEqual({ name: 'VOLUNDR_CLI', value: 'codex' });
    expect(broker?.env).toContainEqual({ name: 'VOLUNDR_API_URL', value: 'http://api:8080' });
    expect(podSpec.containers?.[1]?.env).toEqual([{ name: 'VOLUNDR_TERMINAL_RESTRICTED', value: 'true' }]);
  });

  it('leaves the IDE out when disabled and uses configured images and ports', async () => {
    const { podSpec } = await coreContributor({
      ide: false,
      images: { broker: 'skuld:1' },
      ports: { broker: 9000 },
    }).contribute(aSessionContext());
    expect(podSpec.containers?.map((c) => c?.name)).toEqual(['skuld', 'terminal']);
    expect(podSpec.containers?.[0]).toMatchObject({ image: 'skuld:1', ports: [{ name: 'http', port: 9000 }] });
    expect(podSpec.containers?.[1]?.image).toBeUndefined();
  });
});
