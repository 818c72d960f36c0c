import type { Model } from '@volundr/contracts/models';
import type { Template } from '@volundr/contracts/templates';
import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  emptyLaunchForm,
  errorsFromApi,
  errorsFromIssues,
  errorsOnStep,
  firstStepWithError,
  type LaunchForm,
  presetDefaultsOf,
  stepOfField,
  suggestName,
  toCreateInput,
  validateLaunch,
} from './launch-form';

const models: Model[] = [
  {
    id: 'claude-sonnet-4-5',
    name: 'Sonnet',
    provider: 'anthropic',
    cli: 'claude',
    costPerMillionInputTokens: 3,
    costPerMillionOutputTokens: 15,
  },
  {
    id: 'gpt-5-codex',
    name: 'Codex',
    provider: 'openai',
    cli: 'codex',
    costPerMillionInputTokens: 1,
    costPerMillionOutputTokens: 10,
  },
];
const templates = [{ name: 'claude-only', description: '', cli: 'claude', repos: [] }] as Template[];
const catalog = { models, templates };

const form = (over: Partial<LaunchForm> = {}): LaunchForm => ({
  ...emptyLaunchForm,
  name: 'fix-login',
  model: 'claude-sonnet-4-5',
  repo: '/home/me/src/app',
  branch: 'main',
  ...over,
});

describe('validateLaunch', () => {
  it('accepts a complete form', () => {
    expect(validateLaunch(form(), catalog)).toEqual({});
  });

  it('names each bad field with the contract’s own messages', () => {
    const errors = validateLaunch(
      form({ name: 'Fix Login!', repo: 'has space', branch: '../x', cpu: 'lots', memory: '4 GB', gpu: 'two' }),
      catalog,
    );
    expect(Object.keys(errors).sort()).toEqual(['branch', 'cpu', 'gpu', 'memory', 'name', 'repo']);
    expect(errors.name).toMatch(/lower-case letters/);
    expect(errors.cpu).toMatch(/CPU quantity/);
    expect(errors.gpu).toBe('a whole number of GPUs');
  });

  it('requires a repository for a git source but not for a blank workspace', () => {
    expect(validateLaunch(form({ repo: '' }), catalog).repo).toMatch(/repository is required/);
    expect(validateLaunch(form({ repo: '', sourceType: 'blank' }), catalog)).toEqual({});
  });

  it('checks the model against the catalog and the template’s CLI', () => {
    expect(validateLaunch(form({ model: '' }), catalog).model).toBe('choose a model');
    expect(validateLaunch(form({ model: 'nope' }), catalog).model).toBe('not a model this installation offers');
    expect(validateLaunch(form({ model: 'gpt-5-codex', templateName: 'claude-only' }), catalog).model).toMatch(
      /runs claude/,
    );
    // Without a catalog (models.list not available) any well-formed id passes.
    expect(validateLaunch(form({ model: 'some-model' }), { models: null, templates: null })).toEqual({});
  });

  it('requires a valid preset name only when saving a preset', () => {
    expect(validateLaunch(form({ savePreset: true }), catalog).presetName).toBe('name the preset');
    expect(validateLaunch(form({ savePreset: true, presetName: ' padded' }), catalog).presetName).toMatch(/leading/);
    expect(validateLaunch(form({ savePreset: false, presetName: ' padded' }), catalog)).toEqual({});
  });
});

describe('API issues → fields and steps', () => {
  it('maps the API’s validation paths to the fields that show them', () => {
    const errors = errorsFromIssues([
      { path: ['source', 'repo'], message: 'REPO_NOT_ALLOWED' },
      { path: ['resources', 'memory'], message: 'too much' },
      { path: ['source', 'branch'], message: 'no such branch' },
      { path: ['name'], message: 'taken' },
      { path: ['name'], message: 'second message is dropped' },
      { path: [], message: 'quota exceeded' },
    ]);
    expect(errors).toEqual({
      repo: 'REPO_NOT_ALLOWED',
      memory: 'too much',
      branch: 'no such branch',
      name: 'taken',
      form: 'quota exceeded',
    });
    expect(stepOfField('repo')).toBe('details');
    expect(stepOfField('memory')).toBe('options');
    expect(errorsOnStep(errors, 'options')).toEqual({ memory: 'too much' });
  });
});

describe('toCreateInput', () => {
  it('leaves out empty optional fields and trims', () => {
    expect(toCreateInput(form({ name: ' x ', cpu: ' 2 ', gpu: '1' }))).toEqual({
      name: 'x',
      model: 'claude-sonnet-4-5',
      source: { type: 'git', repo: '/home/me/src/app', branch: 'main' },
      resources: { cpu: '2', gpu: 1 },
      start: true,
    });
    expect(toCreateInput(form({ sourceType: 'blank', templateName: 't', presetId: 'p' }))).toMatchObject({
      source: { type: 'blank' },
      templateName: 't',
      presetId: 'p',
    });
  });
});

describe('suggestName, applyDefaults, presetDefaultsOf', () => {
  it('derives a valid session name from a repository', () => {
    expect(suggestName('https://github.com/acme/Web_App.git')).toBe('web-app');
    expect(suggestName('/home/me/src/my repo/')).toBe('my-repo');
    expect(suggestName('git@host:acme/---.git')).toBe('');
  });

  it('fills untouched fields from a template or preset', () => {
    const next = applyDefaults(
      form({ model: 'typed-by-me' }),
      { model: 'claude-sonnet-4-5', systemPrompt: 'Be brief.', resources: { cpu: '2', gpu: 1 } },
      new Set(['model']),
    );
    expect(next).toMatchObject({ model: 'typed-by-me', systemPrompt: 'Be brief.', cpu: '2', gpu: '1' });
  });

  it('saves the launch defaults the form set', () => {
    expect(presetDefaultsOf(form({ memory: '4Gi', initialPrompt: 'go' }))).toEqual({
      model: 'claude-sonnet-4-5',
      resources: { memory: '4Gi' },
      initialPrompt: 'go',
    });
  });
});

describe('errorsFromApi / firstStepWithError', () => {
  it('puts domain errors without paths on their field, others on the form', () => {
    expect(errorsFromApi({ code: 'REPO_NOT_ALLOWED', message: 'not in the allow list', issues: [] })).toEqual({
      repo: 'not in the allow list',
    });
    expect(errorsFromApi({ code: 'SESSION_NAME_TAKEN', message: 'taken', issues: [] })).toEqual({ name: 'taken' });
    expect(errorsFromApi({ code: 'QUOTA_EXCEEDED', message: 'too many', issues: [] })).toEqual({ form: 'too many' });
    expect(
      errorsFromApi({
        code: 'VALIDATION_FAILED',
        message: 'x',
        issues: [{ path: ['resources', 'gpu'], message: 'max 16' }],
      }),
    ).toEqual({ gpu: 'max 16' });
  });

  it('finds the first step with an error', () => {
    expect(firstStepWithError({ gpu: 'x', repo: 'y' })).toBe('details');
    expect(firstStepWithError({ form: 'quota' })).toBe('review');
    expect(firstStepWithError({})).toBeNull();
  });
});
