import type { Model } from '@volundr/contracts/models';
import type { Profile } from '@volundr/contracts/profiles';
import { type CreateSessionInput, ZCreateSessionInput, ZLaunchContext } from '@volundr/contracts/sessions';
import type { Template } from '@volundr/contracts/templates';
import { describe, expect, it } from 'vitest';
import type { PresetRecord } from '../presets/ports/presets';
import { resolveLaunch } from './resolve-launch';

const model: Model = {
  id: 'claude-sonnet',
  name: 'Sonnet',
  provider: 'anthropic',
  cli: 'claude',
  costPerMillionInputTokens: 3,
  costPerMillionOutputTokens: 15,
};
const profile: Profile = {
  name: 'standard',
  description: '',
  cli: 'claude',
  isDefault: true,
  systemPrompt: 'profile prompt',
  resources: { cpu: '1', memory: '2Gi' },
  env: { LAYER: 'profile', P: '1' },
  envSecretRefs: [{ env: 'TOKEN', secret: 'profile-secret', key: 'token' }],
  mcpServers: [{ transport: 'stdio', name: 'docs', command: 'profile-docs', args: [], env: {} }],
  setupScripts: ['echo profile'],
  idleTimeoutMinutes: 60,
  terminalRestricted: true,
};
const template: Template = {
  name: 'web-app',
  description: '',
  repos: [{ url: 'https://git.example.test/org/lib', path: 'lib' }],
  systemPrompt: 'template prompt',
  resources: { memory: '8Gi' },
  env: { LAYER: 'template', T: '1' },
  mcpServers: [{ transport: 'stdio', name: 'docs', command: 'template-docs', args: [], env: {} }],
  setupScripts: ['npm ci'],
  credentialNames: ['template-cred'],
};
const preset: PresetRecord = {
  id: 'p-1',
  ownerId: 'u-alice',
  tenantId: 't-1',
  name: 'mine',
  description: '',
  cli: 'claude',
  isDefault: true,
  templateName: null,
  profileName: null,
  defaults: {
    env: { LAYER: 'preset' },
    envSecretRefs: [{ env: 'TOKEN', secret: 'preset-secret', key: 'token' }],
    setupScripts: ['make dev'],
    integrationIds: ['jira'],
    resources: { gpu: 1 },
  },
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const request = (fields: Partial<CreateSessionInput> = {}): CreateSessionInput =>
  ZCreateSessionInput.parse({ name: 'work', model: 'claude-sonnet', source: { type: 'blank' }, ...fields });

describe('resolveLaunch (profile → template → preset → request)', () => {
  it('lets every later layer win, field by field', () => {
    const launch = resolveLaunch({
      model,
      profile,
      template,
      preset,
      request: request({ systemPrompt: 'request prompt', resources: { cpu: '3' }, integrationIds: [] }),
      defaultIdleTimeoutMinutes: 15,
    });
    expect(launch).toMatchObject({
      cli: 'claude',
      model: 'claude-sonnet',
      profileName: 'standard',
      templateName: 'web-app',
      presetId: 'p-1',
      systemPrompt: 'request prompt',
      resources: { cpu: '3', memory: '8Gi', gpu: 1 },
      env: { LAYER: 'preset', P: '1', T: '1' },
      envSecretRefs: [{ env: 'TOKEN', secret: 'preset-secret', key: 'token' }],
      setupScripts: ['echo profile', 'npm ci', 'make dev'],
      repos: template.repos,
      credentialNames: ['template-cred'],
      integrationIds: [], // an explicit empty list clears the preset's
      terminalRestricted: true,
      idleTimeoutMinutes: 60,
    });
    expect(launch.mcpServers).toEqual([
      { transport: 'stdio', name: 'docs', command: 'template-docs', args: [], env: {} },
    ]);
  });

  it('keeps a lower layer where the higher ones are silent', () => {
    const launch = resolveLaunch({
      model,
      profile,
      template: null,
      preset: null,
      request: request(),
      defaultIdleTimeoutMinutes: null,
    });
    expect(launch.systemPrompt).toBe('profile prompt');
    expect(launch.resources).toEqual({ cpu: '1', memory: '2Gi' });
    expect(launch.integrationIds).toBeUndefined(); // create resolves it to the owner's enabled integrations
  });

  it('uses the configured idle timeout only when no layer sets one', () => {
    const none = resolveLaunch({
      model,
      profile: null,
      template: null,
      preset: null,
      request: request(),
      defaultIdleTimeoutMinutes: 30,
    });
    expect(none.idleTimeoutMinutes).toBe(30);
    const asked = resolveLaunch({
      model,
      profile,
      template: null,
      preset: null,
      request: request({ idleTimeoutMinutes: 5 }),
      defaultIdleTimeoutMinutes: 30,
    });
    expect(asked.idleTimeoutMinutes).toBe(5);
  });

  it('produces a launch context the stored schema accepts', () => {
    const launch = resolveLaunch({
      model,
      profile,
      template,
      preset,
      request: request(),
      defaultIdleTimeoutMinutes: null,
    });
    expect(ZLaunchContext.safeParse({ ...launch, integrationIds: launch.integrationIds ?? [] }).success).toBe(true);
  });
});
