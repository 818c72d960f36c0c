import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { type KubeEmulator, startKubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';
import { startVaultKvServer, type VaultKvServer } from '@volundr/testkit/vault-kv-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncryptedFileStore } from './encrypted-file-store';
import { createKubernetesSecretStore, credentialSecretName } from './kubernetes-secret-store';
import { createVaultKvStore } from './vault-kv-store';

const alice = { ownerId: 'alice', tenantId: 't-1', name: 'anthropic' };
const bob = { ownerId: 'bob', tenantId: 't-1', name: 'anthropic' };
const CANARY = `canary-${Math.random().toString(36).slice(2)}-value`;

/** What every secret backend must do. */
function contract(name: string, make: () => SecretStore) {
  describe(`${name}: the SecretStore contract`, () => {
    it('stores, replaces, isolates owners and deletes', async () => {
      const store = make();
      expect(await store.get(alice)).toBeNull();
      await store.put(alice, { ANTHROPIC_API_KEY: CANARY });
      await store.put(bob, { ANTHROPIC_API_KEY: 'bobs' });
      expect(await store.get(alice)).toEqual({ ANTHROPIC_API_KEY: CANARY });
      await store.put(alice, { ANTHROPIC_API_KEY: 'rotated', EXTRA: 'multi\nline' });
      expect(await store.get(alice)).toEqual({ ANTHROPIC_API_KEY: 'rotated', EXTRA: 'multi\nline' });
      expect(await store.get(bob)).toEqual({ ANTHROPIC_API_KEY: 'bobs' });
      await store.delete(alice);
      await store.delete(alice);
      expect(await store.get(alice)).toBeNull();
      expect(await store.get(bob)).toEqual({ ANTHROPIC_API_KEY: 'bobs' });
      await store.ping?.();
    });
  });
}

describe('encrypted file store', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'volundr-cred-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  contract('encrypted-file', () => createEncryptedFileStore({ dataDir: dataDir() }));

  it('keeps one encrypted file and a 0600 key in a 0700 directory; no plaintext on disk', async () => {
    const dir = dataDir();
    const store = createEncryptedFileStore({ dataDir: dir });
    await Promise.all([
      store.put(alice, { KEY: CANARY }),
      store.put(bob, { KEY: 'b' }),
      store.put({ ...alice, name: 'x' }, { K: 'x' }),
    ]);
    expect((statSync(join(dir, 'credentials')).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(store.file).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(store.keyFile).mode & 0o777).toString(8)).toBe('600');
    expect(readdirSync(join(dir, 'credentials')).sort()).toEqual(['store.enc', 'store.key']);
    expect(readFileSync(store.file, 'utf8')).not.toContain(CANARY);
    expect(readFileSync(store.file, 'utf8')).not.toContain('alice');
    // A second instance (an API restart) reads the same values with the key from the data dir.
    const again = createEncryptedFileStore({ dataDir: dir });
    expect(await again.get(alice)).toEqual({ KEY: CANARY });
    expect(await again.get({ ...alice, name: 'x' })).toEqual({ K: 'x' });
  });

  it('refuses a changed file and a wrong key instead of returning anything', async () => {
    const dir = dataDir();
    const store = createEncryptedFileStore({ dataDir: dir });
    await store.put(alice, { KEY: CANARY });
    const envelope = JSON.parse(readFileSync(store.file, 'utf8')) as { data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    writeFileSync(store.file, JSON.stringify({ ...envelope, data: bytes.toString('base64') }), { mode: 0o600 });
    await expect(createEncryptedFileStore({ dataDir: dir }).get(alice)).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: expect.stringContaining('cannot be decrypted'),
    });

    const other = dataDir();
    const first = createEncryptedFileStore({ dataDir: other });
    await first.put(alice, { KEY: CANARY });
    writeFileSync(first.keyFile, Buffer.alloc(32, 7).toString('base64'), { mode: 0o600 });
    await expect(createEncryptedFileStore({ dataDir: other }).get(alice)).rejects.toThrow(/wrong key/);
  });
});

describe('Vault / OpenBao KV v2 store', () => {
  let vault: VaultKvServer;
  beforeAll(async () => {
    vault = await startVaultKvServer();
  });
  afterAll(async () => {
    await vault?.close();
  });
  contract('vault-kv (token)', () =>
    createVaultKvStore(
      { address: vault.url, auth: { tokenEnv: 'VAULT_TOKEN' } },
      { env: { VAULT_TOKEN: vault.rootToken } },
    ),
  );

  it('writes where the Vault Agent and CSI injection read: secret/data/volundr/users/<owner>/<credential>', async () => {
    const store = createVaultKvStore({ address: vault.url }, { env: { VAULT_TOKEN: vault.rootToken } });
    await store.put({ ownerId: 'carol', tenantId: 't-1', name: 'github-token' }, { value: CANARY });
    expect(vault.read('secret', 'volundr/users/carol/github-token')).toEqual({ value: CANARY });
    expect(vault.requests.some((r) => r.path === '/v1/secret/data/volundr/users/carol/github-token')).toBe(true);
    await expect(store.put({ ownerId: '../admin', tenantId: 't', name: 'x' }, { v: '1' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('logs in with Kubernetes auth and again when the token stops working', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'volundr-sa-'));
    try {
      writeFileSync(join(dir, 'token'), 'sa-jwt-123\n');
      vault.allowKubernetesLogin('volundr-api', 'sa-jwt-123', 3600);
      const store = createVaultKvStore({
        address: vault.url,
        auth: { kubernetes: { role: 'volundr-api', jwtFile: join(dir, 'token') } },
      });
      await store.put(alice, { A: '1' });
      vault.revokeLoginTokens();
      expect(await store.get(alice)).toEqual({ A: '1' });
      const logins = vault.requests.filter((r) => r.path === '/v1/auth/kubernetes/login');
      expect(logins.map((r) => r.status)).toEqual([200, 200]);
      const refused = createVaultKvStore(
        { address: vault.url, auth: { tokenEnv: 'VAULT_TOKEN' } },
        { env: { VAULT_TOKEN: 'nope' } },
      );
      await expect(refused.get(alice)).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringContaining('permission denied'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Kubernetes Secrets store (API emulator)', () => {
  let kube: KubeEmulator;
  beforeAll(async () => {
    kube = await startKubeEmulator({ namespaces: ['volundr-sessions'], kubelet: false });
  });
  afterAll(async () => {
    await kube?.close();
  });
  contract('kubernetes-secrets', () => createKubernetesSecretStore({}, { kubeConfig: kube.kubeConfig }));

  it('one Secret per credential, owner-annotated, named apart for each owner', async () => {
    const store = createKubernetesSecretStore({}, { kubeConfig: kube.kubeConfig });
    await store.put(alice, { ANTHROPIC_API_KEY: CANARY });
    await store.put(bob, { ANTHROPIC_API_KEY: 'b' });
    expect(credentialSecretName(alice)).not.toBe(credentialSecretName(bob));
    expect(store.podSecretName?.(alice)).toBe(credentialSecretName(alice));
    const secret = await kube
      .client(CoreV1Api)
      .readNamespacedSecret({ name: credentialSecretName(alice), namespace: 'volundr-sessions' });
    expect(secret.metadata?.annotations?.['volundr.io/owner']).toBe('alice');
    expect(secret.metadata?.labels?.['volundr.io/credential']).toBe('anthropic');
    expect(Buffer.from(secret.data?.ANTHROPIC_API_KEY ?? '', 'base64').toString()).toBe(CANARY);
  });
});
