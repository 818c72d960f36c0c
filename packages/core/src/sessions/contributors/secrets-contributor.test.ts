import { describe, expect, it } from 'vitest';
import { fakeSecrets } from '../../testing/fake-secrets';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aCleanupContext, aSessionContext } from '../../testing/session-context-builder';
import { secretsContributor } from './secrets-contributor';

describe('Secrets contributor', () => {
  it('adds env vars that reference secrets, never their values', async () => {
    const session = aSession()
      .with({ launch: aLaunch({ envSecretRefs: [{ env: 'GH_TOKEN', secret: 'github', key: 'token' }] }) })
      .build();
    const { podSpec } = await secretsContributor(fakeSecrets()).contribute(aSessionContext(session));
    expect(podSpec.env).toEqual([{ name: 'GH_TOKEN', secretRef: { name: 'github', key: 'token' } }]);
  });

  it('refuses a missing secret and deletes session secrets on cleanup', async () => {
    const secrets = fakeSecrets({ missing: ['gone'] });
    const session = aSession()
      .withId('s-4')
      .with({ launch: aLaunch({ envSecretRefs: [{ env: 'X', secret: 'gone', key: 'k' }] }) })
      .build();
    await expect(secretsContributor(secrets).contribute(aSessionContext(session))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await secretsContributor(secrets).cleanup?.(aCleanupContext(session));
    expect(secrets.calls).toEqual(['deleteSessionSecrets:s-4']);
  });
});
