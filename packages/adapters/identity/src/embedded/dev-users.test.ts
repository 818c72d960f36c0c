import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDevUser, checkDevUserPassword, ensureAdminUser, listDevUsers, setPassword, setRoles } from './dev-users';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'volundr-users-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('dev users', () => {
  it('creates admin once with a random password that verifies', async () => {
    const password = await ensureAdminUser(dataDir);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await ensureAdminUser(dataDir)).toBeNull();
    await expect(checkDevUserPassword(dataDir, 'admin', password ?? '')).resolves.toMatchObject({
      roles: ['volundr:admin'],
    });
    await expect(checkDevUserPassword(dataDir, 'admin', 'wrong-password')).resolves.toBeUndefined();
    await expect(checkDevUserPassword(dataDir, 'nobody', password ?? '')).resolves.toBeUndefined();
  });

  it('adds users, refuses duplicates and bad names, changes passwords and roles', async () => {
    const { user, password } = await addDevUser(dataDir, { username: 'bob', password: 'bob-secret-1' });
    expect(password).toBe('bob-secret-1');
    expect(user).toMatchObject({
      username: 'bob',
      email: 'bob@localhost',
      tenant: 'default',
      roles: ['volundr:developer'],
    });
    expect(user).not.toHaveProperty('passwordHash');
    await expect(addDevUser(dataDir, { username: 'bob' })).rejects.toThrow(/already exists/);
    await expect(addDevUser(dataDir, { username: 'Bob Smith' })).rejects.toThrow(/username must be/);
    await expect(addDevUser(dataDir, { username: 'eve', password: 'short' })).rejects.toThrow(/at least 8/);

    await setPassword(dataDir, 'bob', 'another-secret');
    await expect(checkDevUserPassword(dataDir, 'bob', 'bob-secret-1')).resolves.toBeUndefined();
    await expect(checkDevUserPassword(dataDir, 'bob', 'another-secret')).resolves.toBeDefined();
    await expect(setRoles(dataDir, 'bob', ['volundr:viewer'])).resolves.toMatchObject({ roles: ['volundr:viewer'] });
    await expect(setRoles(dataDir, 'nobody', ['volundr:viewer'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listDevUsers(dataDir)).map((u) => u.username)).toEqual(['bob']);
  });
});
