import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { testCatalog } from '../testing/test-catalog';
import { catalogFromConfig } from './config-catalog';
import { listModels } from './list-models';
import { listProfiles } from './list-profiles';
import { listTemplates } from './list-templates';
import { profileByName } from './profile-by-name';
import { templateByName } from './template-by-name';

const model = {
  id: 'm',
  name: 'M',
  provider: 'p',
  cli: 'claude',
  costPerMillionInputTokens: 1,
  costPerMillionOutputTokens: 2,
};
const alice = aPrincipal().build();

describe('catalogFromConfig', () => {
  it('serves models, profiles and templates from configuration', async () => {
    const catalog = testCatalog();
    expect((await listModels(catalog)(alice)).map((m) => m.id)).toEqual(['claude-sonnet', 'claude-opus', 'gpt-codex']);
    expect((await listProfiles(catalog)(alice)).map((p) => p.name)).toEqual(['standard', 'big', 'codex-default']);
    expect((await listTemplates(catalog)(alice)).map((t) => t.name)).toEqual(['web-app']);
    expect(await catalog.profiles.defaultFor('codex')).toMatchObject({ name: 'codex-default' });
    await expect(templateByName(catalog)(alice, { name: 'web-app' })).resolves.toMatchObject({ profileName: 'big' });
    await expect(templateByName(catalog)(alice, { name: 'none' })).rejects.toMatchObject({
      code: 'TEMPLATE_NOT_FOUND',
    });
    await expect(profileByName(catalog)(alice, { name: 'none' })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    await expect(profileByName(catalog)(alice, { name: 'Bad Name' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('accepts no catalog at all', () => {
    expect(() => catalogFromConfig({ models: undefined, profiles: undefined, templates: undefined })).not.toThrow();
  });

  it.each([
    [{ models: [model, model] }, 'models.1.id: duplicate model id "m"'],
    [{ models: [{ ...model, cli: 'gemini' }] }, 'models.0.cli'],
    [
      { models: [model], profiles: [{ name: 'p', cli: 'codex', model: 'm' }] },
      'profiles.0.model: "m" runs on claude, not codex',
    ],
    [
      {
        models: [model],
        profiles: [
          { name: 'a', cli: 'claude', isDefault: true },
          { name: 'b', cli: 'claude', isDefault: true },
        ],
      },
      'profiles.1.isDefault: profiles "a" and "b" are both the default for claude',
    ],
    [{ templates: [{ name: 't', profileName: 'ghost' }] }, 'templates.0.profileName: no profile "ghost"'],
    [{ templates: [{ name: 't', model: 'ghost' }] }, 'templates.0.model: no model "ghost" in models'],
    [{ templates: [{ name: 't', repos: [{ url: 'https://x', path: '../escape' }] }] }, 'templates.0.repos.0.path'],
    [{ templates: [{ name: 't', unknownKey: 1 }] }, 'templates.0: Unrecognized key: "unknownKey"'],
  ])('refuses bad configuration %# naming the key', (config, message) => {
    expect(() => catalogFromConfig({ models: [], profiles: [], templates: [], ...config })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
