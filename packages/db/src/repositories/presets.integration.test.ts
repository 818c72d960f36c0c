import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDomainError } from '@volundr/core/errors';
import type { PresetRecord } from '@volundr/core/presets/ports/presets';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { beforeAll, expect, it } from 'vitest';
import { findMigrationsDir, migrate } from '../migrate';
import { createPresetsRepository } from './presets';

const t0 = new Date('2026-03-01T10:00:00.000Z');

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isDomainError(error) ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'resolved';
}

let n = 0;
const aPreset = (fields: Partial<PresetRecord> = {}): PresetRecord => {
  n += 1;
  return {
    id: `p-${n}`,
    ownerId: 'u-alice',
    tenantId: 't-1',
    name: `preset ${n}`,
    description: '',
    cli: 'claude',
    isDefault: false,
    templateName: null,
    profileName: null,
    defaults: {},
    createdAt: t0,
    updatedAt: t0,
    ...fields,
  };
};

describeBothDatabases('presets repository', (getDb) => {
  const repo = () => createPresetsRepository(getDb());

  beforeAll(async () => {
    const db = getDb();
    await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('t-1', '/t-1/', 't-1')`);
    for (const u of ['u-alice', 'u-bob']) await db.execute(`INSERT INTO users (id, status) VALUES ($1, 'active')`, [u]);
  });

  it('saves every launch default and reads it back', async () => {
    const preset = aPreset({
      description: 'for the web app',
      templateName: 'web-app',
      profileName: 'big',
      defaults: {
        model: 'claude-sonnet',
        systemPrompt: 'Be brief.',
        initialPrompt: 'Read the README.',
        resources: { cpu: '2', memory: '4Gi' },
        env: { A: '1' },
        envSecretRefs: [{ env: 'TOKEN', secret: 'gh', key: 'token' }],
        mcpServers: [{ transport: 'http', name: 'docs', url: 'https://docs.example.test/mcp', headers: {} }],
        setupScripts: ['npm ci'],
        credentialNames: ['gh'],
        integrationIds: ['i-1'],
        terminalRestricted: true,
        idleTimeoutMinutes: 45,
      },
    });
    expect(await repo().save(preset)).toEqual(preset);
    expect(await repo().byId(preset.id)).toEqual(preset);
    expect(await repo().byId('missing')).toBeNull();
  });

  it('keeps one default per owner and CLI, clearing the previous one when another becomes default', async () => {
    const first = await repo().save(aPreset({ isDefault: true, name: 'a-default' }));
    const codex = await repo().save(aPreset({ isDefault: true, cli: 'codex', name: 'codex-default' }));
    const bobs = await repo().save(aPreset({ isDefault: true, ownerId: 'u-bob', name: 'bob-default' }));
    const second = await repo().save(aPreset({ isDefault: true, name: 'b-default' }));

    expect((await repo().defaultFor('u-alice', 'claude'))?.id).toBe(second.id);
    expect((await repo().byId(first.id))?.isDefault).toBe(false);
    expect((await repo().defaultFor('u-alice', 'codex'))?.id).toBe(codex.id);
    expect((await repo().defaultFor('u-bob', 'claude'))?.id).toBe(bobs.id);

    // Concurrent saves that each make a different preset the default: exactly one wins.
    const racers = [aPreset({ name: 'race-1' }), aPreset({ name: 'race-2' }), aPreset({ name: 'race-3' })];
    await Promise.all(racers.map((p) => repo().save({ ...p, isDefault: true })));
    expect(await repo().list({ ownerId: 'u-alice', tenantId: 't-1', cli: 'claude', isDefault: true })).toHaveLength(1);
  });

  it('names are unique per owner; saving again by id updates in place', async () => {
    const preset = await repo().save(aPreset({ name: 'unique-name' }));
    expect(await codeOf(repo().save(aPreset({ name: 'unique-name' })))).toBe('PRESET_NAME_TAKEN');
    await repo().save(aPreset({ name: 'unique-name', ownerId: 'u-bob' }));
    const renamed = await repo().save({
      ...preset,
      name: 'renamed',
      defaults: { model: 'gpt-codex' },
      updatedAt: new Date(t0.getTime() + 5),
    });
    expect(renamed).toEqual({
      ...preset,
      name: 'renamed',
      defaults: { model: 'gpt-codex' },
      updatedAt: new Date(t0.getTime() + 5),
    });
  });

  it('lists an owner’s presets by name, filtered, and deletes', async () => {
    await repo().save(aPreset({ ownerId: 'u-bob', name: 'zz-bob' }));
    const list = await repo().list({ ownerId: 'u-bob', tenantId: 't-1' });
    expect(list.map((p) => p.name)).toEqual([...list.map((p) => p.name)].sort());
    expect(list.every((p) => p.ownerId === 'u-bob')).toBe(true);
    const target = list.find((p) => p.name === 'zz-bob')!;
    await repo().delete(target.id);
    expect(await repo().byId(target.id)).toBeNull();
  });
});

describeBothDatabases(
  'migration 0002 folds the old preset columns into defaults',
  (getDb) => {
    it('keeps what a preset stored under 0001', async () => {
      const db = getDb();
      const all = findMigrationsDir(import.meta.url);
      const only0001 = mkdtempSync(join(tmpdir(), 'volundr-mig-'));
      try {
        copyFileSync(join(all, '0001_init.sql'), join(only0001, '0001_init.sql'));
        await migrate(db, only0001);
        await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('t-1', '/t-1/', 't-1')`);
        await db.execute(`INSERT INTO users (id, status) VALUES ('u-old', 'active')`);
        await db.execute(
          `INSERT INTO presets (id, owner_id, tenant_id, name, cli_tool, model, system_prompt, resources, env, mcp_servers)
           VALUES ('p-old', 'u-old', 't-1', 'old', 'claude', 'claude-sonnet', 'hi', '{"cpu":"2"}', '{"A":"1"}', '{}'),
                  ('p-bare', 'u-old', 't-1', 'bare', 'codex', NULL, NULL, '{}', '{}', '{}')`,
        );
        await migrate(db, all);
        expect((await createPresetsRepository(db).byId('p-old'))?.defaults).toEqual({
          model: 'claude-sonnet',
          systemPrompt: 'hi',
          resources: { cpu: '2' },
          env: { A: '1' },
        });
        expect((await createPresetsRepository(db).byId('p-bare'))?.defaults).toEqual({});
      } finally {
        rmSync(only0001, { recursive: true, force: true });
      }
    });
  },
  { migrate: false },
);
