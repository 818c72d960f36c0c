import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Tenant, type TenantTier, ZTenantTier } from '@volundr/contracts/identity';
import { useState } from 'react';
import { fieldErrors, toUiError } from '../../api/api-error';
import { createTenantMutation, deleteTenantMutation, updateTenantMutation } from '../../api/queries/administration';
import { useApi } from '../../app/contexts';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { TIER_LABELS } from './labels';

interface TenantFields {
  name: string;
  tier: TenantTier;
  maxRunningSessions: string;
  maxStorageGb: string;
}

const WHOLE = /^\d{1,9}$/;

/** The quotas as numbers, or what is wrong with them (checked here; the API checks the ranges). */
function quotas(fields: TenantFields): { maxRunningSessions: number; maxStorageGb: number } | Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of ['maxRunningSessions', 'maxStorageGb'] as const)
    if (!WHOLE.test(fields[key].trim())) errors[key] = 'A whole number, 0 or more';
  if (Object.keys(errors).length > 0) return errors;
  return { maxRunningSessions: Number(fields.maxRunningSessions), maxStorageGb: Number(fields.maxStorageGb) };
}

const isQuotas = (q: ReturnType<typeof quotas>): q is { maxRunningSessions: number; maxStorageGb: number } =>
  typeof q.maxRunningSessions === 'number';

/** Name, tier and quotas: the part of a tenant that its administrators change. */
function TenantFieldset({
  fields,
  onChange,
  errors,
}: {
  fields: TenantFields;
  onChange: (fields: TenantFields) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Field label="Name" error={errors.name}>
        {(control) => (
          <input
            {...control}
            className="input"
            value={fields.name}
            onChange={(e) => onChange({ ...fields, name: e.target.value })}
          />
        )}
      </Field>
      <Field label="Tier" error={errors.tier}>
        {(control) => (
          <select
            {...control}
            className="select"
            value={fields.tier}
            onChange={(e) => onChange({ ...fields, tier: ZTenantTier.parse(e.target.value) })}
          >
            {ZTenantTier.options.map((tier) => (
              <option key={tier} value={tier}>
                {TIER_LABELS[tier]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Running sessions at most"
        hint="0 stops new sessions from starting"
        error={errors.maxRunningSessions}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            inputMode="numeric"
            value={fields.maxRunningSessions}
            onChange={(e) => onChange({ ...fields, maxRunningSessions: e.target.value })}
          />
        )}
      </Field>
      <Field label="Storage (GB) at most" error={errors.maxStorageGb}>
        {(control) => (
          <input
            {...control}
            className="input"
            inputMode="numeric"
            value={fields.maxStorageGb}
            onChange={(e) => onChange({ ...fields, maxStorageGb: e.target.value })}
          />
        )}
      </Field>
    </>
  );
}

function FormError({ message }: { message: string | undefined }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

/** The fields the API named, and a message for the rest (a conflict, a refusal). */
function errorsOf(error: unknown, fieldNames: readonly string[]) {
  if (!error) return { fields: {}, form: undefined };
  const ui = toUiError(error);
  const fields = fieldErrors(ui.issues);
  const named = fieldNames.some((name) => fields[name]);
  return { fields, form: named ? undefined : ui.message };
}

export function CreateTenantDialog({
  parent,
  onClose,
  onCreated,
}: {
  parent: Tenant;
  onClose: () => void;
  onCreated: (tenant: Tenant) => void;
}) {
  const api = useApi();
  const create = useMutation(createTenantMutation(api, useQueryClient()));
  const [slug, setSlug] = useState('');
  const [fields, setFields] = useState<TenantFields>({
    name: '',
    tier: parent.tier,
    maxRunningSessions: '5',
    maxStorageGb: '50',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const fromApi = errorsOf(create.error, ['slug', 'name', 'tier', 'maxRunningSessions', 'maxStorageGb']);
  const errors = { fields: { ...fromApi.fields, ...local }, form: fromApi.form };
  const slugError =
    errors.fields.slug ??
    (toUiError(create.error).code === 'TENANT_PATH_TAKEN' ? 'That name is taken here' : undefined);
  return (
    <Dialog open title={`New tenant under ${parent.name}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const q = quotas(fields);
          setLocal(isQuotas(q) ? {} : q);
          if (!isQuotas(q)) return;
          create.reset();
          create.mutate(
            { parentId: parent.id, slug: slug.trim(), name: fields.name, tier: fields.tier, ...q },
            { onSuccess: onCreated },
          );
        }}
      >
        <Field
          label="Path segment"
          hint={`Its path will be ${parent.path}${slug.trim() || '…'}/ (lower-case letters, digits, "-")`}
          error={slugError}
        >
          {(control) => (
            <input {...control} className="input mono" value={slug} onChange={(e) => setSlug(e.target.value)} />
          )}
        </Field>
        <TenantFieldset fields={fields} onChange={setFields} errors={errors.fields} />
        <FormError message={slugError ? undefined : errors.form} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create tenant'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function EditTenantDialog({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const api = useApi();
  const update = useMutation(updateTenantMutation(api, useQueryClient()));
  const [fields, setFields] = useState<TenantFields>({
    name: tenant.name,
    tier: tenant.tier,
    maxRunningSessions: String(tenant.maxRunningSessions),
    maxStorageGb: String(tenant.maxStorageGb),
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const fromApi = errorsOf(update.error, ['name', 'tier', 'maxRunningSessions', 'maxStorageGb']);
  const errors = { fields: { ...fromApi.fields, ...local }, form: fromApi.form };
  return (
    <Dialog open title={`Edit ${tenant.name}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const q = quotas(fields);
          setLocal(isQuotas(q) ? {} : q);
          if (!isQuotas(q)) return;
          update.reset();
          update.mutate({ id: tenant.id, name: fields.name, tier: fields.tier, ...q }, { onSuccess: onClose });
        }}
      >
        <TenantFieldset fields={fields} onChange={setFields} errors={errors.fields} />
        <FormError message={errors.form} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteTenantDialog({
  tenant,
  onClose,
  onDeleted,
}: {
  tenant: Tenant;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const api = useApi();
  const remove = useMutation(deleteTenantMutation(api, useQueryClient()));
  return (
    <ConfirmDialog
      title={`Delete ${tenant.name}?`}
      confirmLabel="Delete tenant"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ id: tenant.id }, { onSuccess: onDeleted })}
      onClose={onClose}
    >
      <p>
        The tenant <span className="mono">{tenant.path}</span> goes for good. Only an empty tenant can be deleted: no
        members, no sessions, no tenants below it.
      </p>
    </ConfirmDialog>
  );
}
