import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSessionWorld } from '../testing/session-world';
import { createPreset } from './create-preset';
import { deletePreset } from './delete-preset';
import { listPresets } from './list-presets';
import { presetById } from './preset-by-id';
import { updatePreset } from './update-preset';

const alice = aPrincipal().build();

describe('presets', () => {
  it('creates, reads, updates, lists and deletes a preset', async () => {
    const { deps } = aSessionWorld();
    const created = await createPreset(deps)(alice, {
      name: 'Fast reviews',
      cli: 'claude',
      defaults: { model: 'claude-sonnet', systemPrompt: 'Review only.' },
    });
    expect(created).toMatchObject({ ownerId: 'u-alice', isDefault: false, description: '', name: 'Fast reviews' });
    expect(await presetById(deps)(alice, { id: created.id })).toEqual(created);
    const updated = await updatePreset(deps)(alice, { id: created.id, description: 'For PRs', isDefault: true });
    expect(updated).toMatchObject({ description: 'For PRs', isDefault: true, defaults: created.defaults });
    expect(await listPresets(deps)(alice, { isDefault: true })).toEqual([updated]);
    await deletePreset(deps)(alice, { id: created.id });
    expect(await listPresets(deps)(alice)).toEqual([]);
  });

  it('keeps one default per CLI per user', async () => {
    const { deps } = aSessionWorld();
    const create = createPreset(deps);
    const first = await create(alice, { name: 'one', cli: 'claude', isDefault: true });
    const codex = await create(alice, { name: 'codex', cli: 'codex', isDefault: true });
    const second = await create(alice, { name: 'two', cli: 'claude', isDefault: true });
    const defaults = (await listPresets(deps)(alice, { isDefault: true })).map((p) => p.id).sort();
    expect(defaults).toEqual([codex.id, second.id].sort());
    expect((await presetById(deps)(alice, { id: first.id })).isDefault).toBe(false);
  });

  it.each([
    [{ name: 'x', cli: 'claude', defaults: { model: 'gpt-codex' } }, 'BAD_REQUEST'],
    [{ name: 'x', cli: 'claude', defaults: { model: 'nope' } }, 'MODEL_NOT_FOUND'],
    [{ name: ' padded', cli: 'claude' }, 'VALIDATION_FAILED'],
    [{ name: 'x', cli: 'gemini' }, 'VALIDATION_FAILED'],
    [{ name: 'x', cli: 'claude', defaults: { resources: { cpu: 'many' } } }, 'VALIDATION_FAILED'],
  ])('refuses %o', async (input, code) => {
    const { deps } = aSessionWorld();
    await expect(createPreset(deps)(alice, input as never)).rejects.toMatchObject({ code });
  });

  it('refuses a second preset with the same name', async () => {
    const { deps } = aSessionWorld();
    await createPreset(deps)(alice, { name: 'same', cli: 'claude' });
    const other = await createPreset(deps)(alice, { name: 'other', cli: 'claude' });
    await expect(createPreset(deps)(alice, { name: 'same', cli: 'codex' })).rejects.toMatchObject({
      code: 'PRESET_NAME_TAKEN',
    });
    await expect(updatePreset(deps)(alice, { id: other.id, name: 'same' })).rejects.toMatchObject({
      code: 'PRESET_NAME_TAKEN',
    });
  });
});

describe('presets naming catalog entries', () => {
  it.each([
    [{ templateName: 'nope' }, 'TEMPLATE_NOT_FOUND'],
    [{ profileName: 'codex-default' }, 'BAD_REQUEST'],
    [{ profileName: 'ghost' }, 'PROFILE_NOT_FOUND'],
  ])('refuses %o', async (names, code) => {
    const { deps } = aSessionWorld();
    await expect(createPreset(deps)(alice, { name: 'x', cli: 'claude', ...names })).rejects.toMatchObject({ code });
  });

  it('stores the template and profile it names, and can clear them', async () => {
    const { deps } = aSessionWorld();
    const preset = await createPreset(deps)(alice, {
      name: 'x',
      cli: 'claude',
      templateName: 'web-app',
      profileName: 'big',
    });
    expect(preset).toMatchObject({ templateName: 'web-app', profileName: 'big' });
    const cleared = await updatePreset(deps)(alice, { id: preset.id, templateName: null });
    expect(cleared).toMatchObject({ templateName: null, profileName: 'big' });
  });
});
