import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileStore } from './file-adapter';
import { ensureIdentityDir } from './identity-files';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'volundr-store-'));
  await ensureIdentityDir(dataDir);
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dataDir, { recursive: true, force: true });
});

describe('FileStore', () => {
  it('persists records across reopen, with lookups by uid and user code', async () => {
    const store = await FileStore.open(dataDir);
    await store.adapterFactory('Session').upsert('s1', { uid: 'u1', accountId: 'a' }, 3600);
    await store.adapterFactory('DeviceCode').upsert('d1', { userCode: 'ABCD-EFGH', grantId: 'g1' }, 600);
    await store.adapterFactory('RefreshToken').upsert('r1', { grantId: 'g1' }, 3600);
    await store.adapterFactory('RefreshToken').upsert('r2', { grantId: 'g2' }, 3600);

    const reopened = await FileStore.open(dataDir);
    await expect(reopened.adapterFactory('Session').findByUid('u1')).resolves.toMatchObject({ accountId: 'a' });
    await expect(reopened.adapterFactory('DeviceCode').findByUserCode('ABCD-EFGH')).resolves.toMatchObject({
      grantId: 'g1',
    });
    await reopened.adapterFactory('RefreshToken').consume('r2');
    await expect(reopened.adapterFactory('RefreshToken').find('r2')).resolves.toHaveProperty('consumed');

    await reopened.adapterFactory('Grant').revokeByGrantId('g1');
    const again = await FileStore.open(dataDir);
    await expect(again.adapterFactory('RefreshToken').find('r1')).resolves.toBeUndefined();
    await expect(again.adapterFactory('DeviceCode').find('d1')).resolves.toBeUndefined();
    await expect(again.adapterFactory('RefreshToken').find('r2')).resolves.toHaveProperty('consumed');
    await again.adapterFactory('RefreshToken').destroy('r2');
    await expect(again.adapterFactory('RefreshToken').find('r2')).resolves.toBeUndefined();
  });

  it('forgets records once they expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = await FileStore.open(dataDir);
    await store.adapterFactory('Interaction').upsert('i1', { uid: 'x' }, 60);
    vi.setSystemTime(Date.now() + 61_000);
    await expect(store.adapterFactory('Interaction').find('i1')).resolves.toBeUndefined();
  });
});
