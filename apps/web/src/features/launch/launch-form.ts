/**
 * The launch wizard's form: what a person types, how it becomes `sessions.create` input, and
 * where each validation issue (ours before sending, or the API's after) is shown. The same
 * path → field mapping serves both, so an API error lands next to the field it is about.
 */

import type { Model } from '@volundr/contracts/models';
import { ZPresetName } from '@volundr/contracts/presets';
import type { LaunchDefaults } from '@volundr/contracts/profiles';
import { type CreateSessionInput, ZCreateSessionInput } from '@volundr/contracts/sessions';
import type { Template } from '@volundr/contracts/templates';

export interface LaunchForm {
  templateName: string;
  name: string;
  model: string;
  sourceType: 'git' | 'blank';
  repo: string;
  branch: string;
  profileName: string;
  presetId: string;
  cpu: string;
  memory: string;
  gpu: string;
  systemPrompt: string;
  initialPrompt: string;
  savePreset: boolean;
  presetName: string;
}

export type LaunchField = keyof LaunchForm | 'form';
export type LaunchErrors = Partial<Record<LaunchField, string>>;

export const emptyLaunchForm: LaunchForm = {
  templateName: '',
  name: '',
  model: '',
  sourceType: 'git',
  repo: '',
  branch: 'main',
  profileName: '',
  presetId: '',
  cpu: '',
  memory: '',
  gpu: '',
  systemPrompt: '',
  initialPrompt: '',
  savePreset: false,
  presetName: '',
};

export const LAUNCH_STEPS = ['template', 'details', 'options', 'review'] as const;
export type LaunchStep = (typeof LAUNCH_STEPS)[number];

const FIELD_STEP: Record<LaunchField, LaunchStep> = {
  templateName: 'template',
  name: 'details',
  model: 'details',
  sourceType: 'details',
  repo: 'details',
  branch: 'details',
  profileName: 'options',
  presetId: 'options',
  cpu: 'options',
  memory: 'options',
  gpu: 'options',
  systemPrompt: 'options',
  initialPrompt: 'options',
  savePreset: 'options',
  presetName: 'options',
  form: 'review',
};

/** The step a field is on (to take the person to the first error). */
export const stepOfField = (field: LaunchField): LaunchStep => FIELD_STEP[field];

const trimmed = (v: string) => v.trim();

/** The `sessions.create` input for the form; empty optional fields are left out. */
export function toCreateInput(form: LaunchForm): CreateSessionInput {
  const resources = {
    ...(trimmed(form.cpu) ? { cpu: trimmed(form.cpu) } : {}),
    ...(trimmed(form.memory) ? { memory: trimmed(form.memory) } : {}),
    ...(trimmed(form.gpu) ? { gpu: Number(trimmed(form.gpu)) } : {}),
  };
  return {
    name: trimmed(form.name),
    model: trimmed(form.model),
    source:
      form.sourceType === 'git'
        ? { type: 'git', repo: trimmed(form.repo), branch: trimmed(form.branch) }
        : { type: 'blank' },
    ...(form.templateName ? { templateName: form.templateName } : {}),
    ...(form.profileName ? { profileName: form.profileName } : {}),
    ...(form.presetId ? { presetId: form.presetId } : {}),
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(form.systemPrompt.trim() ? { systemPrompt: form.systemPrompt } : {}),
    ...(form.initialPrompt.trim() ? { initialPrompt: form.initialPrompt } : {}),
    start: true,
  };
}

/** Where an input path (ours or the API's `issues[].path`) is shown in the form. */
export function fieldOfPath(path: ReadonlyArray<string | number>): LaunchField {
  const [head, second] = path;
  switch (head) {
    case 'name':
    case 'model':
    case 'templateName':
    case 'profileName':
    case 'presetId':
    case 'systemPrompt':
    case 'initialPrompt':
      return head;
    case 'source':
      if (second === 'repo') return 'repo';
      if (second === 'branch' || second === 'baseBranch') return 'branch';
      return 'sourceType';
    case 'resources':
      if (second === 'cpu' || second === 'memory' || second === 'gpu') return second;
      return 'cpu';
    default:
      return 'form';
  }
}

/** Issues as field errors, the first per field. */
export function errorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
): LaunchErrors {
  const errors: LaunchErrors = {};
  for (const issue of issues) {
    const field = fieldOfPath(issue.path);
    errors[field] ??= issue.message;
  }
  return errors;
}

export interface LaunchCatalog {
  models: Model[] | null;
  templates: Template[] | null;
}

/** Everything wrong with the form before it is sent (the API checks it again). */
export function validateLaunch(form: LaunchForm, catalog: LaunchCatalog): LaunchErrors {
  const errors: LaunchErrors = {};
  if (form.sourceType === 'git' && !form.repo.trim())
    errors.repo = 'a repository is required (or choose a blank workspace)';
  if (form.sourceType === 'git' && !form.branch.trim()) errors.branch = 'a branch is required';
  if (!form.model.trim()) errors.model = 'choose a model';
  if (form.gpu.trim() && !/^\d+$/.test(form.gpu.trim())) errors.gpu = 'a whole number of GPUs';
  const parsed = ZCreateSessionInput.safeParse(toCreateInput(form));
  if (!parsed.success) {
    const fromSchema = errorsFromIssues(
      parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })),
    );
    for (const [field, message] of Object.entries(fromSchema) as [LaunchField, string][]) errors[field] ??= message;
  }
  const model = catalog.models?.find((m) => m.id === form.model.trim());
  if (form.model.trim() && catalog.models && !model) errors.model ??= 'not a model this installation offers';
  const template = catalog.templates?.find((t) => t.name === form.templateName);
  if (template?.cli && model && model.cli !== template.cli)
    errors.model ??= `template "${template.name}" runs ${template.cli}; choose a ${template.cli} model`;
  if (form.savePreset) {
    const name = ZPresetName.safeParse(form.presetName);
    if (!form.presetName) errors.presetName = 'name the preset';
    else if (!name.success) errors.presetName = name.error.issues[0]?.message ?? 'not a valid preset name';
  }
  return errors;
}

/** The errors of one step (to block "Next" until they are fixed). */
export function errorsOnStep(errors: LaunchErrors, step: LaunchStep): LaunchErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => stepOfField(field as LaunchField) === step),
  ) as LaunchErrors;
}

/** A valid session name from a repository or template: `acme/web-app.git` → `web-app`. */
export function suggestName(from: string): string {
  const last =
    from
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .split(/[/:]/)
      .pop() ?? '';
  const name = last
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name;
}

/**
 * Fills the form from a layer's defaults (template or preset): only the fields the layer
 * sets, and only those the person has not typed into yet (`touched`).
 */
export function applyDefaults(
  form: LaunchForm,
  defaults: LaunchDefaults,
  touched: ReadonlySet<keyof LaunchForm>,
): LaunchForm {
  const next = { ...form };
  const set = <K extends keyof LaunchForm>(key: K, value: LaunchForm[K] | undefined) => {
    if (value !== undefined && !touched.has(key)) next[key] = value;
  };
  set('model', defaults.model);
  set('systemPrompt', defaults.systemPrompt);
  set('initialPrompt', defaults.initialPrompt);
  set('cpu', defaults.resources?.cpu);
  set('memory', defaults.resources?.memory);
  set('gpu', defaults.resources?.gpu === undefined ? undefined : String(defaults.resources.gpu));
  return next;
}

/** What "save as preset" stores: the launch defaults the form set. */
export function presetDefaultsOf(form: LaunchForm): LaunchDefaults {
  const input = toCreateInput(form);
  return {
    model: input.model,
    ...(input.resources ? { resources: input.resources } : {}),
    ...(input.systemPrompt ? { systemPrompt: input.systemPrompt } : {}),
    ...(input.initialPrompt ? { initialPrompt: input.initialPrompt } : {}),
  };
}

/** Domain errors that are about one field even though the API sends no issue path for them. */
const CODE_FIELD: Partial<Record<string, LaunchField>> = {
  SESSION_NAME_TAKEN: 'name',
  REPO_NOT_ALLOWED: 'repo',
  REPO_UNREACHABLE: 'repo',
  MODEL_NOT_FOUND: 'model',
  TEMPLATE_NOT_FOUND: 'templateName',
  PROFILE_NOT_FOUND: 'profileName',
  PRESET_NOT_FOUND: 'presetId',
};

/** The API's refusal of `sessions.create`, as field errors (a form-level error otherwise). */
export function errorsFromApi(error: {
  code: string;
  message: string;
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>;
}): LaunchErrors {
  if (error.issues.length > 0) return errorsFromIssues(error.issues);
  const field = CODE_FIELD[error.code] ?? 'form';
  return { [field]: error.message };
}

/** The first step holding an error, to take the person there. */
export function firstStepWithError(errors: LaunchErrors): LaunchStep | null {
  for (const step of LAUNCH_STEPS) if (Object.keys(errorsOnStep(errors, step)).length > 0) return step;
  return null;
}
