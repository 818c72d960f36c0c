import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { fixedClock } from '../testing/fixed-clock';
import { ownerOnlyAuthorization } from '../testing/owner-only-authorization';
import { aPrincipal } from '../testing/principal-builder';
import { sequentialIds } from '../testing/sequential-ids';
import { createCredential } from './create-credential';
import { credentialValues } from './credential-values';
import { deleteCredential } from './delete-credential';
import { listCredentials } from './list-credentials';
import type { CredentialRecord, CredentialRecords } from './ports/credential-records';
import type { SecretLocation, SecretStore } from './ports/secret-store';

/** Test double of CredentialRecords: names unique per owner. */
function memoryRecords(): CredentialRecords & { rows: CredentialRecord[] } {
  const rows: CredentialRecord[] = [];
  return {
    rows,
    async listForOwner(owner, filter = {}) {
      return rows
        .filter(
          (r) =>
            r.ownerId === owner.ownerId && r.tenantId === owner.tenantId && (!filter.type || r.type === filter.type),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async byName(ownerId, name) {
      return rows.find((r) => r.ownerId === ownerId && r.name === name) ?? null;
    },
    async insert(record) {
      if (rows.some((r) => r.ownerId === record.ownerId && r.name === record.name))
        throw new DomainError('CREDENTIAL_NAME_TAKEN', `name: taken "${record.name}"`);
      rows.push(record);
      return record;
    },
    async update(record) {
      const i = rows.findIndex((r) => r.ownerId === record.ownerId && r.name === record.name);
      rows[i] = record;
      return record;
    },
    async delete(ownerId, name) {
      const i = rows.findIndex((r) => r.ownerId === ownerId && r.name === name);
      if (i >= 0) rows.splice(i, 1);
      return i >= 0;
    },
  };
}

/** Test double of the SecretStore; `failing` makes writes fail as an unreachable backend would. */
function memoryStore(options: { failing?: boolean } = {}): SecretStore & { data: Map<string, Record<string, string>> } {
  const data = new Map<string, Record<string, string>>();
  const key = (l: SecretLocation) => `${l.tenantId}/${l.ownerId}/${l.name}`;
  return {
    kind: 'memory',
    data,
    async put(l, values) {
      if (options.failing) throw new Error('connection refused');
      data.set(key(l), { ...values });
    },
    async get(l) {
      return data.get(key(l)) ?? null;
    },
    async delete(l) {
      data.delete(key(l));
    },
  };
}

const alice = aPrincipal().withId('alice').build();
const bob = aPrincipal().withId('bob').build();
const setup = (store = memoryStore()) => {
  const records = memoryRecords();
  const authorization = ownerOnlyAuthorization();
  const deps = {
    records,
    store,
    authorization,
    clock: fixedClock(new Date('2026-01-01T00:00:00Z')),
    ids: sequentialIds('c'),
  };
  return { records, store, authorization, deps };
};

describe('credentials use cases', () => {
  it('store the value in the backend only and answer metadata, asking the Authorization port', async () => {
    const { deps, store, authorization } = setup();
    const created = await createCredential(deps)(alice, {
      name: 'npm',
      type: 'api_key',
      data: { NPM_TOKEN: 'secret-value' },
      metadata: { registry: 'npmjs' },
    });
    expect(created).toMatchObject({
      name: 'npm',
      keys: ['NPM_TOKEN'],
      metadata: { registry: 'npmjs' },
      managedBy: 'user',
    });
    expect(JSON.stringify(created)).not.toContain('secret-value');
    expect([...store.data.values()]).toEqual([{ NPM_TOKEN: 'secret-value' }]);
    expect(authorization.asked).toContainEqual({ userId: 'alice', action: 'create', kind: 'credential' });
    expect(await listCredentials(deps)(bob)).toEqual([]);
    expect((await listCredentials(deps)(alice)).map((c) => c.name)).toEqual(['npm']);
  });

  it('remove the metadata again when the backend cannot store the value', async () => {
    const { deps, records } = setup(memoryStore({ failing: true }));
    await expect(createCredential(deps)(alice, { name: 'x', type: 'generic', data: { a: 'b' } })).rejects.toMatchObject(
      {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringContaining('could not store credential "x"'),
      },
    );
    expect(records.rows).toEqual([]);
  });

  it('refuse invalid input with the field named', async () => {
    const { deps } = setup();
    const refused = async (input: unknown) =>
      createCredential(deps)(alice, input as never).then(
        () => null,
        (e: DomainError) => e.message,
      );
    expect(await refused({ name: 'Bad Name', type: 'generic', data: { a: 'b' } })).toContain('name');
    expect(await refused({ name: 'k', type: 'api_key', data: { 'not-env': 'v' } })).toContain('environment variable');
    expect(await refused({ name: 'k', type: 'ssh_key', data: { private_key: 'nope' } })).toContain('not a PEM');
    expect(
      await refused({
        name: 'k',
        type: 'git_credential',
        data: { token: 't', password: 'p' },
        metadata: { host: 'h' },
      }),
    ).toContain('exactly one of token or password');
    expect(await refused({ name: 'k', type: 'generic', data: { a: 'b\u0000' } })).toContain('control characters');
    expect(await refused({ name: 'integration-github', type: 'generic', data: { a: 'b' } })).toContain('integrations');
  });

  it('delete the owner’s own only; another user’s is missing; an integration’s token is not deletable here', async () => {
    const { deps, records, store } = setup();
    await createCredential(deps)(alice, { name: 'npm', type: 'generic', data: { a: 'b' } });
    await expect(deleteCredential(deps)(bob, 'npm')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    records.rows.push({ ...records.rows[0]!, id: 'c-i', name: 'integration-github', managedBy: 'integration' });
    await expect(deleteCredential(deps)(alice, 'integration-github')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await deleteCredential(deps)(alice, 'npm')).toEqual({ name: 'npm', deleted: true });
    expect(store.data.size).toBe(0);
  });

  it('give runtimes one key, or the virtual git key, after freshening integration tokens', async () => {
    const { deps, records, store } = setup();
    await createCredential(deps)(alice, {
      name: 'box',
      type: 'git_credential',
      data: { username: 'me', password: 'pw' },
      metadata: { host: 'git.test' },
    });
    const freshened: string[] = [];
    const values = credentialValues({ records, store, freshen: async (r) => void freshened.push(r.name) });
    const owner = { ownerId: 'alice', tenantId: 't-1' };
    expect(await values.value(owner, { name: 'box', key: 'git' })).toBe('me:pw');
    expect(await values.value(owner, { name: 'box', key: 'password' })).toBe('pw');
    expect(await values.value(owner, { name: 'box', key: 'nope' })).toBeNull();
    expect(await values.value({ ...owner, tenantId: 'other' }, { name: 'box', key: 'git' })).toBeNull();
    expect(freshened).toEqual([]);
    records.rows.push({
      ...records.rows[0]!,
      id: 'c-i',
      name: 'integration-github',
      managedBy: 'integration',
      type: 'oauth_token',
    });
    await store.put({ ...owner, name: 'integration-github' }, { access_token: 'tok' });
    expect(await values.value(owner, { name: 'integration-github', key: 'git' })).toBe('x-access-token:tok');
    expect(freshened).toEqual(['integration-github']);
  });
});
