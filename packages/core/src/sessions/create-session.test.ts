import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSessionWorld } from '../testing/session-world';
import { createSession } from './create-session';

const alice = aPrincipal().build();
const blank = { name: 'work', model: 'claude-sonnet', source: { type: 'blank' as const } };
const repo = 'https://git.example.test/org/api';

describe('createSession', () => {
  it('stores the session with its resolved launch and starts it', async () => {
    const world = aSessionWorld({
      integrations: {
        'u-alice': [
          { id: 'i-jira', slug: 'jira', enabled: true, mcpServer: null, credentialName: 'jira' },
          { id: 'i-off', slug: 'slack', enabled: false, mcpServer: null, credentialName: null },
        ],
      },
    });
    const session = await createSession(world.deps)(alice, {
      ...blank,
      source: { type: 'git', repo, branch: 'main' },
      templateName: 'web-app',
      initialPrompt: 'Fix the login bug',
    });
    expect(session).toMatchObject({
      name: 'work',
      state: 'starting',
      ownerId: 'u-alice',
      tenantId: 't-1',
      cli: 'claude',
      templateName: 'web-app',
      profileName: 'big',
      stateReason: null,
    });
    const stored = await world.sessions.byId(session.id);
    expect(stored?.launch).toMatchObject({
      profileName: 'big',
      templateName: 'web-app',
      systemPrompt: 'You work on the web app.',
      initialPrompt: 'Fix the login bug',
      resources: { cpu: '4', memory: '16Gi' },
      env: { LAYER: 'template', TEMPLATE_ONLY: '1' },
      setupScripts: ['npm ci'],
      integrationIds: ['i-jira'],
    });
    expect(stored?.runtime.attempt).toBe(1);
    expect(world.events.of(session.id).map((e) => e.type)).toEqual(['session_created', 'state_changed']);
    expect(world.deps.gitRepositories.validated).toEqual([repo]);
  });

  it('applies the default profile and the default preset of the model’s CLI', async () => {
    const world = aSessionWorld({ defaultIdleTimeoutMinutes: 30 });
    await world.presets.save({
      id: 'p-1',
      ownerId: 'u-alice',
      tenantId: 't-1',
      name: 'mine',
      description: '',
      cli: 'claude',
      isDefault: true,
      templateName: null,
      profileName: null,
      defaults: { env: { LAYER: 'preset' }, systemPrompt: 'Preset prompt' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    const session = await createSession(world.deps)(alice, { ...blank, start: false });
    expect(session).toMatchObject({
      state: 'created',
      profileName: 'standard',
      presetId: 'p-1',
      idleTimeoutMinutes: 60,
    });
    const stored = await world.sessions.byId(session.id);
    expect(stored?.launch.env).toEqual({ LAYER: 'preset', PROFILE_ONLY: '1' });
    expect(stored?.launch.systemPrompt).toBe('Preset prompt');
    expect(world.events.of(session.id).map((e) => e.type)).toEqual(['session_created']);
  });

  it('keeps a reforged session linked to its chronicle', async () => {
    const world = aSessionWorld();
    const session = await createSession(world.deps)(alice, blank, { parentChronicleId: 'c-7' });
    expect(session.parentChronicleId).toBe('c-7');
  });

  it.each([
    [{ ...blank, name: 'My_Session' }, 'name'],
    [{ ...blank, name: `a${'b'.repeat(63)}` }, 'name'],
    [{ ...blank, name: '-lead' }, 'name'],
    [{ ...blank, systemPrompt: 'x'.repeat(100_001) }, 'systemPrompt'],
    [{ ...blank, source: { type: 'svn' } }, 'source.type'],
    [{ ...blank, source: { type: 'git', repo, branch: 'a..b' } }, 'source.branch'],
    [{ ...blank, resources: { memory: 'lots' } }, 'resources.memory'],
    [{ ...blank, extra: true }, ''],
  ])('refuses bad input %# with the field path', async (input, path) => {
    const world = aSessionWorld();
    const error = await createSession(world.deps)(alice, input as never).catch((e) => e);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toContain(path);
    expect(world.sessions.rows.size).toBe(0);
  });

  it.each([
    [{ ...blank, model: 'gpt-9' }, 'MODEL_NOT_FOUND'],
    [{ ...blank, templateName: 'nope' }, 'TEMPLATE_NOT_FOUND'],
    [{ ...blank, profileName: 'nope' }, 'PROFILE_NOT_FOUND'],
    [{ ...blank, model: 'gpt-codex', templateName: 'web-app' }, 'BAD_REQUEST'],
    [{ ...blank, model: 'gpt-codex', profileName: 'standard' }, 'BAD_REQUEST'],
    [{ ...blank, presetId: 'p-unknown' }, 'PRESET_NOT_FOUND'],
    [{ ...blank, integrationIds: ['i-nope'] }, 'INTEGRATION_NOT_FOUND'],
    [{ ...blank, source: { type: 'git', repo: 'https://elsewhere.test/x', branch: 'main' } }, 'REPO_NOT_ALLOWED'],
  ])('refuses %# and stores nothing', async (input, code) => {
    const world = aSessionWorld();
    await expect(createSession(world.deps)(alice, input as never)).rejects.toMatchObject({ code });
    expect(world.sessions.rows.size).toBe(0);
  });

  it("refuses another user's preset and a preset for the other CLI", async () => {
    const world = aSessionWorld();
    const preset = {
      id: 'p-bob',
      ownerId: 'u-bob',
      tenantId: 't-1',
      name: 'bobs',
      description: '',
      cli: 'claude' as const,
      isDefault: false,
      templateName: null,
      profileName: null,
      defaults: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    await world.presets.save(preset);
    await world.presets.save({ ...preset, id: 'p-codex', ownerId: 'u-alice', name: 'codex', cli: 'codex' });
    await expect(createSession(world.deps)(alice, { ...blank, presetId: 'p-bob' })).rejects.toMatchObject({
      code: 'PRESET_NOT_FOUND',
    });
    await expect(createSession(world.deps)(alice, { ...blank, presetId: 'p-codex' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('is for codex'),
    });
  });

  it('enforces the tenant quota when starting, not for a session left created', async () => {
    const world = aSessionWorld({ maxRunningSessions: 1 });
    const create = createSession(world.deps);
    await create(alice, blank);
    await expect(create(alice, { ...blank, name: 'second' })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(world.sessions.rows.size).toBe(1);
    await expect(create(alice, { ...blank, name: 'later', start: false })).resolves.toMatchObject({ state: 'created' });
  });

  it('asks the Authorization port before acting', async () => {
    const world = aSessionWorld();
    const viewer = aPrincipal().withRoles('volundr:viewer').build();
    await expect(createSession(world.deps)(viewer, blank)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(world.authorization.asked).toContainEqual({ userId: 'u-alice', action: 'create', kind: 'session' });
    expect(world.sessions.rows.size).toBe(0);
  });
});

describe('createSession names', () => {
  it('refuses a name the owner already uses, unless that session is archived', async () => {
    const world = aSessionWorld();
    const create = createSession(world.deps);
    const first = await create(alice, { ...blank, start: false });
    await expect(create(alice, { ...blank, start: false })).rejects.toMatchObject({ code: 'SESSION_NAME_TAKEN' });
    await expect(create(aPrincipal().withId('u-bob').build(), { ...blank, start: false })).resolves.toBeDefined();
    const row = await world.sessions.byId(first.id);
    if (row) await world.sessions.update(row.id, row.version, { state: 'archived', updatedAt: new Date() });
    await expect(create(alice, { ...blank, start: false })).resolves.toMatchObject({ name: 'work' });
  });

  it('launches with the template and profile a preset names when the request names none', async () => {
    const world = aSessionWorld();
    await world.presets.save({
      id: 'p-web',
      ownerId: 'u-alice',
      tenantId: 't-1',
      name: 'web',
      description: '',
      cli: 'claude',
      isDefault: false,
      templateName: 'web-app',
      profileName: 'standard',
      defaults: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    const session = await createSession(world.deps)(alice, { ...blank, presetId: 'p-web', start: false });
    expect(session).toMatchObject({ templateName: 'web-app', profileName: 'standard', presetId: 'p-web' });
  });
});
