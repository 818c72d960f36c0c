import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Template } from '@volundr/contracts/templates';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { toUiError } from '../../api/api-error';
import { modelsQuery, profilesQuery, templatesQuery } from '../../api/queries/catalog';
import { createPresetMutation, presetsQuery } from '../../api/queries/presets';
import { createSessionMutation } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { Field } from '../../components/Field';
import { BranchPicker, useBranchChoices } from './BranchPicker';
import {
  applyDefaults,
  emptyLaunchForm,
  errorsFromApi,
  errorsOnStep,
  firstStepWithError,
  LAUNCH_STEPS,
  type LaunchErrors,
  type LaunchForm,
  type LaunchStep,
  presetDefaultsOf,
  suggestName,
  toCreateInput,
  validateLaunch,
} from './launch-form';

const STEP_TITLE: Record<LaunchStep, string> = {
  template: 'Template',
  details: 'Name, model and source',
  options: 'Profile, preset, resources and prompts',
  review: 'Review and launch',
};

/** Why a catalog list is missing, in one line next to the field that would use it. */
function unavailable(error: unknown, what: string): string | null {
  if (!error) return null;
  const ui = toUiError(error);
  return ui.procedureMissing
    ? `${what} are not offered by this API yet.`
    : `${what} could not be loaded: ${ui.message}`;
}

/**
 * The launch wizard: template → details → options → review. Each step checks its own fields
 * before moving on; the API's verdict on launch comes back onto the fields it names.
 */
export function LaunchWizard() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const templates = useQuery(templatesQuery(api));
  const models = useQuery(modelsQuery(api));
  const profiles = useQuery(profilesQuery(api));
  const presets = useQuery(presetsQuery(api));
  const create = useMutation(createSessionMutation(api, queryClient));
  const savePreset = useMutation(createPresetMutation(api, queryClient));

  const [form, setForm] = useState<LaunchForm>(emptyLaunchForm);
  const branchChoices = useBranchChoices(form.repo, form.sourceType === 'git');
  const [step, setStep] = useState<LaunchStep>('template');
  const [shown, setShown] = useState<LaunchErrors>({});
  const touched = useRef(new Set<keyof LaunchForm>());
  const headingRef = useRef<HTMLHeadingElement>(null);

  const catalog = useMemo(
    () => ({ models: models.data ?? null, templates: templates.data ?? null }),
    [models.data, templates.data],
  );
  const template = templates.data?.find((t) => t.name === form.templateName);
  const modelChoices = (models.data ?? []).filter((m) => !template?.cli || m.cli === template.cli);
  const presetChoices = (presets.data ?? []).filter(
    (p) => !form.model || !models.data || p.cli === models.data.find((m) => m.id === form.model)?.cli,
  );

  const set = <K extends keyof LaunchForm>(key: K, value: LaunchForm[K]) => {
    touched.current.add(key);
    setForm((f) => ({ ...f, [key]: value }));
    setShown((e) => {
      const { [key]: _, form: __, ...rest } = e;
      return rest;
    });
  };

  const goTo = (next: LaunchStep) => {
    setStep(next);
    // Move focus to the new step's heading so keyboard and screen reader users follow along.
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const chooseTemplate = (t: Template | null) => {
    setForm((f) => {
      let next: LaunchForm = { ...f, templateName: t?.name ?? '' };
      if (t) next = applyDefaults(next, t, touched.current);
      if (t && !touched.current.has('name') && !f.repo) next.name = suggestName(t.name);
      return next;
    });
  };

  const choosePreset = (id: string) => {
    set('presetId', id);
    const preset = presets.data?.find((p) => p.id === id);
    if (preset) setForm((f) => applyDefaults({ ...f, presetId: id }, preset.defaults, touched.current));
  };

  const next = () => {
    const errors = errorsOnStep(validateLaunch(form, catalog), step);
    setShown(errors);
    if (Object.keys(errors).length > 0) return;
    const index = LAUNCH_STEPS.indexOf(step);
    const following = LAUNCH_STEPS[index + 1];
    if (following) goTo(following);
  };

  const launch = () => {
    const errors = validateLaunch(form, catalog);
    const first = firstStepWithError(errors);
    if (first) {
      setShown(errors);
      goTo(first);
      return;
    }
    create.mutate(toCreateInput(form), {
      onSuccess: async (session) => {
        if (form.savePreset) {
          const cli = models.data?.find((m) => m.id === session.model)?.cli ?? session.cli;
          // The session is launched either way; a preset that could not be saved is reported there.
          await savePreset
            .mutateAsync({ name: form.presetName, cli, defaults: presetDefaultsOf(form) })
            .catch(() => undefined);
        }
        navigate(`/sessions/${encodeURIComponent(session.id)}`);
      },
      onError: (error) => {
        const apiErrors = errorsFromApi(toUiError(error));
        setShown(apiErrors);
        const target = firstStepWithError(apiErrors);
        if (target && target !== step) goTo(target);
      },
    });
  };

  const stepIndex = LAUNCH_STEPS.indexOf(step);

  return (
    <div className="wizard">
      <ol className="wizard-steps" aria-label="Steps">
        {LAUNCH_STEPS.map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} data-done={i < stepIndex || undefined}>
            <button
              type="button"
              className="wizard-step"
              onClick={() => i < stepIndex && goTo(s)}
              disabled={i > stepIndex}
            >
              <span className="wizard-step-number" aria-hidden="true">
                {i + 1}
              </span>
              {STEP_TITLE[s]}
            </button>
          </li>
        ))}
      </ol>

      <form
        className="wizard-panel card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step === 'review') launch();
          else next();
        }}
      >
        <h2 ref={headingRef} tabIndex={-1}>
          {STEP_TITLE[step]}
        </h2>

        {step === 'template' ? (
          <fieldset className="template-grid">
            <legend className="visually-hidden">Template</legend>
            <TemplateChoice
              name=""
              title="No template"
              description="Start from a repository or an empty workspace and choose everything yourself."
              checked={form.templateName === ''}
              onChange={() => chooseTemplate(null)}
            />
            {(templates.data ?? []).map((t) => (
              <TemplateChoice
                key={t.name}
                name={t.name}
                title={t.name}
                description={t.description || 'No description.'}
                meta={t.cli ? `${t.cli} only` : undefined}
                checked={form.templateName === t.name}
                onChange={() => chooseTemplate(t)}
              />
            ))}
            {templates.isPending ? <p className="muted">Loading templates…</p> : null}
            {unavailable(templates.error, 'Templates') ? (
              <p className="muted">{unavailable(templates.error, 'Templates')}</p>
            ) : null}
            {shown.templateName ? <p className="field-error">{shown.templateName}</p> : null}
          </fieldset>
        ) : null}

        {step === 'details' ? (
          <>
            <fieldset className="field">
              <legend>Source</legend>
              <label className="checkbox">
                <input
                  type="radio"
                  name="source"
                  checked={form.sourceType === 'git'}
                  onChange={() => set('sourceType', 'git')}
                />
                A git repository
              </label>
              <label className="checkbox">
                <input
                  type="radio"
                  name="source"
                  checked={form.sourceType === 'blank'}
                  onChange={() => set('sourceType', 'blank')}
                />
                An empty workspace
              </label>
            </fieldset>
            {form.sourceType === 'git' ? (
              <div className="field-row">
                <Field
                  label="Repository"
                  hint="A URL (https://…, git@…) or, in local mode, a path to a repository on this machine."
                  error={shown.repo}
                >
                  {(control) => (
                    <input
                      {...control}
                      className="input"
                      value={form.repo}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(e) => set('repo', e.target.value)}
                      onBlur={() => {
                        if (!touched.current.has('name') && form.repo)
                          setForm((f) => ({ ...f, name: suggestName(f.repo) }));
                      }}
                    />
                  )}
                </Field>
                <Field label="Branch" hint={branchChoices.note} error={shown.branch}>
                  {(control) => (
                    <BranchPicker
                      control={control}
                      value={form.branch}
                      onChange={(branch) => set('branch', branch)}
                      choices={branchChoices}
                    />
                  )}
                </Field>
              </div>
            ) : null}
            <Field
              label="Session name"
              hint='Lower-case letters, digits and "-" (it appears in URLs).'
              error={shown.name}
            >
              {(control) => (
                <input
                  {...control}
                  className="input"
                  value={form.name}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set('name', e.target.value)}
                />
              )}
            </Field>
            <Field
              label="Model"
              hint={
                unavailable(models.error, 'Models') ??
                (template?.cli ? `Template "${template.name}" runs ${template.cli}.` : undefined)
              }
              error={shown.model}
            >
              {(control) =>
                models.data ? (
                  <select
                    {...control}
                    className="select"
                    value={form.model}
                    onChange={(e) => set('model', e.target.value)}
                  >
                    <option value="">Choose a model</option>
                    {modelChoices.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name} ({m.provider}, {m.cli})
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...control}
                    className="input"
                    value={form.model}
                    placeholder="claude-sonnet-4-5"
                    onChange={(e) => set('model', e.target.value)}
                  />
                )
              }
            </Field>
          </>
        ) : null}

        {step === 'options' ? (
          <>
            <div className="field-row">
              <Field
                label="Profile"
                hint={
                  unavailable(profiles.error, 'Profiles') ??
                  'Defaults for the CLI; the default profile applies when none is chosen.'
                }
                error={shown.profileName}
              >
                {(control) => (
                  <select
                    {...control}
                    className="select"
                    value={form.profileName}
                    disabled={!profiles.data}
                    onChange={(e) => set('profileName', e.target.value)}
                  >
                    <option value="">Default profile</option>
                    {(profiles.data ?? []).map((p) => (
                      <option key={p.name} value={p.name}>
                        {p.name}
                        {p.isDefault ? ' (default)' : ''}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                label="Preset"
                hint={unavailable(presets.error, 'Presets') ?? 'Your saved launch settings.'}
                error={shown.presetId}
              >
                {(control) => (
                  <select
                    {...control}
                    className="select"
                    value={form.presetId}
                    disabled={!presets.data}
                    onChange={(e) => choosePreset(e.target.value)}
                  >
                    <option value="">No preset</option>
                    {presetChoices.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <fieldset className="field">
              <legend>Resources</legend>
              <div className="field-row">
                <Field label="CPU" hint='e.g. "2" or "500m"' error={shown.cpu}>
                  {(control) => (
                    <input
                      {...control}
                      className="input"
                      value={form.cpu}
                      onChange={(e) => set('cpu', e.target.value)}
                    />
                  )}
                </Field>
                <Field label="Memory" hint='e.g. "4Gi"' error={shown.memory}>
                  {(control) => (
                    <input
                      {...control}
                      className="input"
                      value={form.memory}
                      onChange={(e) => set('memory', e.target.value)}
                    />
                  )}
                </Field>
                <Field label="GPUs" error={shown.gpu}>
                  {(control) => (
                    <input
                      {...control}
                      className="input"
                      inputMode="numeric"
                      value={form.gpu}
                      onChange={(e) => set('gpu', e.target.value)}
                    />
                  )}
                </Field>
              </div>
            </fieldset>
            <Field
              label="System prompt"
              hint="Added to the agent's instructions for every turn."
              error={shown.systemPrompt}
            >
              {(control) => (
                <textarea
                  {...control}
                  className="textarea"
                  value={form.systemPrompt}
                  onChange={(e) => set('systemPrompt', e.target.value)}
                />
              )}
            </Field>
            <Field
              label="First message"
              hint="Sent to the agent as soon as the session runs."
              error={shown.initialPrompt}
            >
              {(control) => (
                <textarea
                  {...control}
                  className="textarea"
                  value={form.initialPrompt}
                  onChange={(e) => set('initialPrompt', e.target.value)}
                />
              )}
            </Field>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.savePreset}
                disabled={!presets.data}
                onChange={(e) => set('savePreset', e.target.checked)}
              />
              Save these settings as a preset
            </label>
            {form.savePreset ? (
              <Field label="Preset name" error={shown.presetName}>
                {(control) => (
                  <input
                    {...control}
                    className="input"
                    value={form.presetName}
                    onChange={(e) => set('presetName', e.target.value)}
                  />
                )}
              </Field>
            ) : null}
          </>
        ) : null}

        {step === 'review' ? <Review form={form} /> : null}

        {shown.form ? (
          <p className="field-error form-error" role="alert">
            {shown.form}
          </p>
        ) : null}
        {create.error && !shown.form && Object.keys(shown).length > 0 ? (
          <p className="field-error form-error" role="alert">
            The API did not accept the launch: see the highlighted fields.
          </p>
        ) : null}

        <div className="wizard-actions">
          {stepIndex > 0 ? (
            <button type="button" className="btn" onClick={() => goTo(LAUNCH_STEPS[stepIndex - 1] ?? 'template')}>
              Back
            </button>
          ) : (
            <span />
          )}
          {step === 'review' ? (
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {create.isPending ? 'Launching…' : 'Launch session'}
            </button>
          ) : (
            <button type="submit" className="btn btn-primary">
              Next
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

function TemplateChoice({
  name,
  title,
  description,
  meta,
  checked,
  onChange,
}: {
  name: string;
  title: string;
  description: string;
  meta?: string | undefined;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <label className="template-choice" data-checked={checked || undefined}>
      <input type="radio" name="template" value={name} checked={checked} onChange={onChange} />
      <span className="template-title">{title}</span>
      <span className="template-description">{description}</span>
      {meta ? <span className="template-meta">{meta}</span> : null}
    </label>
  );
}

function Review({ form }: { form: LaunchForm }) {
  const rows: [string, ReactNode][] = [
    ['Template', form.templateName || 'none'],
    ['Name', form.name],
    ['Model', form.model],
    ['Source', form.sourceType === 'git' ? `${form.repo} @ ${form.branch}` : 'empty workspace'],
    ['Profile', form.profileName || 'default'],
    ['Preset', form.presetId || 'none'],
    [
      'Resources',
      [form.cpu && `${form.cpu} CPU`, form.memory, form.gpu && `${form.gpu} GPU`].filter(Boolean).join(', ') ||
        'defaults',
    ],
    ['System prompt', form.systemPrompt ? `${form.systemPrompt.length} characters` : 'none'],
    ['First message', form.initialPrompt || 'none'],
    ['Save as preset', form.savePreset ? form.presetName : 'no'],
  ];
  return (
    <dl className="review">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
