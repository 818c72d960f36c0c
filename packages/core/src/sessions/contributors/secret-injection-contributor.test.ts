import { describe, expect, it } from 'vitest';
import { fakeSecretInjection } from '../../testing/fake-secret-injection';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aCleanupContext, aSessionContext } from '../../testing/session-context-builder';
import { secretInjectionContributor } from './secret-injection-contributor';

describe('SecretInjection contributor', () => {
  it("injects the launch's credentials and those of its integrations, by reference", async () => {
    const injection = fakeSecretInjection();
    const session = aSession()
      .withId('s-1')
      .with({ launch: aLaunch({ credentialNames: ['anthropic', 'npm'] }) })
      .build();
    const context = aSessionContext(session, [
      { id: 'i-1', slug: 'jira', enabled: true, mcpServer: null, credentialName: 'jira' },
      { id: 'i-2', slug: 'npm', enabled: true, mcpServer: null, credentialName: 'npm' },
    ]);
    const { values, podSpec } = await secretInjectionContributor(injection).contribute(context);
    expect(values.secrets).toEqual({ provider: 'memory', credentials: ['anthropic', 'npm', 'jira'] });
    expect(podSpec.volumeMounts?.map((m) => m?.mountPath)).toEqual([
      '/run/secrets/anthropic',
      '/run/secrets/npm',
      '/run/secrets/jira',
    ]);
    expect(JSON.stringify(podSpec)).not.toMatch(/value/);
    await secretInjectionContributor(injection).cleanup?.(aCleanupContext(session));
    expect(injection.calls.at(-1)).toBe('cleanupSession:s-1');
  });

  it('does not call the port when there is nothing to inject', async () => {
    const injection = fakeSecretInjection();
    expect(await secretInjectionContributor(injection).contribute(aSessionContext())).toEqual({
      values: {},
      podSpec: {},
    });
    expect(injection.calls).toEqual([]);
  });
});
