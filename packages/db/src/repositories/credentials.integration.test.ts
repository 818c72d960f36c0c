import type { CredentialRecord } from '@volundr/core/credentials/ports/credential-records';
import type { IntegrationRecord } from '@volundr/core/integrations/ports/integration-records';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { expect, it } from 'vitest';
import { createCredentialsRepository } from './credentials';
import { createIntegrationsRepository } from './integrations';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const aCredential = (fields: Partial<CredentialRecord> = {}): CredentialRecord => ({
  id: `c-${Math.random().toString(36).slice(2)}`,
  ownerId: 'u-alice',
  tenantId: 't-1',
  name: 'anthropic',
  type: 'api_key',
  keys: ['ANTHROPIC_API_KEY'],
  metadata: { note: 'personal' },
  managedBy: 'user',
  createdAt: t0,
  updatedAt: t0,
  ...fields,
});

const anIntegration = (fields: Partial<IntegrationRecord> = {}): IntegrationRecord => ({
  id: `i-${Math.random().toString(36).slice(2)}`,
  ownerId: 'u-alice',
  tenantId: 't-1',
  provider: 'github',
  kind: 'github',
  enabled: true,
  authMethod: 'oauth',
  account: 'alice',
  credentialName: 'integration-github',
  scopes: ['repo'],
  expiresAt: at(60),
  refreshedAt: null,
  createdAt: t0,
  updatedAt: t0,
  ...fields,
});

describeBothDatabases('credentials and integrations repositories', (getDb) => {
  it('keeps credential metadata, unique per owner, filtered by type', async () => {
    const repo = createCredentialsRepository(getDb());
    await repo.insert(aCredential());
    await repo.insert(aCredential({ ownerId: 'u-bob' }));
    await repo.insert(
      aCredential({ name: 'gh', type: 'git_credential', keys: ['token'], metadata: { host: 'github.com' } }),
    );
    await expect(repo.insert(aCredential())).rejects.toMatchObject({ code: 'CREDENTIAL_NAME_TAKEN' });
    const mine = await repo.listForOwner({ ownerId: 'u-alice', tenantId: 't-1' });
    expect(mine.map((c) => c.name)).toEqual(['anthropic', 'gh']);
    expect(mine[0]).toMatchObject({ keys: ['ANTHROPIC_API_KEY'], metadata: { note: 'personal' }, managedBy: 'user' });
    expect(
      (await repo.listForOwner({ ownerId: 'u-alice', tenantId: 't-1' }, { type: 'git_credential' })).map((c) => c.name),
    ).toEqual(['gh']);
    const updated = await repo.update({ ...mine[0]!, keys: ['A', 'B'], updatedAt: at(5) });
    expect(updated).toMatchObject({ keys: ['A', 'B'], updatedAt: at(5) });
    expect(await repo.delete('u-alice', 'anthropic')).toBe(true);
    expect(await repo.delete('u-alice', 'anthropic')).toBe(false);
    expect(await repo.byName('u-alice', 'anthropic')).toBeNull();
    expect(await repo.byName('u-bob', 'anthropic')).not.toBeNull();
  });

  it('keeps one integration per owner and provider, finds those due for refresh', async () => {
    const repo = createIntegrationsRepository(getDb());
    const first = await repo.upsert(anIntegration({ id: 'i-1' }));
    const again = await repo.upsert(anIntegration({ id: 'i-other', account: 'alice2', expiresAt: at(10) }));
    expect(again.id).toBe(first.id);
    expect(again.account).toBe('alice2');
    await repo.upsert(
      anIntegration({
        id: 'i-2',
        provider: 'gitlab',
        kind: 'gitlab',
        credentialName: 'integration-gitlab',
        expiresAt: at(120),
      }),
    );
    await repo.upsert(anIntegration({ id: 'i-3', ownerId: 'u-bob', authMethod: 'token', expiresAt: null }));
    expect((await repo.listForOwner({ ownerId: 'u-alice', tenantId: 't-1' })).map((i) => i.provider)).toEqual([
      'github',
      'gitlab',
    ]);
    expect(await repo.byCredential('u-alice', 'integration-gitlab')).toMatchObject({ id: 'i-2' });
    expect((await repo.dueForRefresh(at(30), 10)).map((i) => i.id)).toEqual(['i-1']);
    expect((await repo.dueForRefresh(at(500), 10)).map((i) => i.id)).toEqual(['i-1', 'i-2']);
    await repo.delete('i-2');
    expect(await repo.byProvider('u-alice', 'gitlab')).toBeNull();
    expect(await repo.exclusive('k', async () => 42)).toBe(42);
  });

  it('takes an OAuth state once, and never an expired one', async () => {
    const repo = createIntegrationsRepository(getDb());
    const state = {
      ownerId: 'u-alice',
      tenantId: 't-1',
      provider: 'github',
      redirectUri: 'http://x/cb',
      createdAt: t0,
    };
    await repo.saveOAuthState({ ...state, stateHash: 'h1', expiresAt: at(10) });
    await repo.saveOAuthState({ ...state, stateHash: 'h2', expiresAt: at(1) });
    expect(await repo.takeOAuthState('h1', at(5))).toMatchObject({ provider: 'github', redirectUri: 'http://x/cb' });
    expect(await repo.takeOAuthState('h1', at(5))).toBeNull();
    expect(await repo.takeOAuthState('h2', at(5))).toBeNull();
  });
});
