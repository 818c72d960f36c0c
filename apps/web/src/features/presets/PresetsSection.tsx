import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Preset } from '@volundr/contracts/presets';
import { useState } from 'react';
import { Link } from 'react-router';
import { toUiError } from '../../api/api-error';
import { deletePresetMutation, presetsQuery, updatePresetMutation } from '../../api/queries/presets';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { TableScroll } from '../../components/TableScroll';
import { ApiErrorState } from '../common/ApiErrorState';

/** The person's saved launch settings: rename, make default, delete. New ones come from the launch wizard. */
export function PresetsSection() {
  const api = useApi();
  const presets = useQuery(presetsQuery(api));
  const [editing, setEditing] = useState<Preset | null>(null);
  const [deleting, setDeleting] = useState<Preset | null>(null);

  if (presets.isPending) return <LoadingState label="Loading presets…" />;
  if (presets.isError)
    return (
      <ApiErrorState
        error={presets.error}
        what="presets"
        procedure="presets.list"
        onRetry={() => void presets.refetch()}
      />
    );
  if (presets.data.length === 0)
    return (
      <EmptyState
        title="No presets yet"
        actions={
          <Link className="btn btn-primary" to="/launch">
            Launch a session
          </Link>
        }
      >
        A preset keeps a model, resources and prompts you launch with often. Tick “Save these settings as a preset” in
        the launch wizard to create one.
      </EmptyState>
    );
  return (
    <>
      <TableScroll label="Presets">
        <table className="table">
          <caption className="visually-hidden">Presets</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">CLI</th>
              <th scope="col">Model</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {presets.data.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name} {p.isDefault ? <Badge tone="info">default</Badge> : null}
                  {p.description ? <div className="muted">{p.description}</div> : null}
                </td>
                <td>{p.cli}</td>
                <td className="mono">{p.defaults.model ?? '—'}</td>
                <td>
                  <RelativeTime iso={p.updatedAt} />
                </td>
                <td className="row-actions">
                  <button type="button" className="btn btn-sm" onClick={() => setEditing(p)}>
                    Edit<span className="visually-hidden"> {p.name}</span>
                  </button>
                  <button type="button" className="btn btn-sm" onClick={() => setDeleting(p)}>
                    Delete<span className="visually-hidden"> {p.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {editing ? <EditPresetDialog preset={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? <DeletePresetDialog preset={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}

function EditPresetDialog({ preset, onClose }: { preset: Preset; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const update = useMutation(updatePresetMutation(api, queryClient));
  const [name, setName] = useState(preset.name);
  const [description, setDescription] = useState(preset.description);
  const [isDefault, setIsDefault] = useState(preset.isDefault);
  const ui = update.error ? toUiError(update.error) : null;
  const fieldError = (field: string) => ui?.issues.find((i) => i.path[0] === field)?.message;
  return (
    <Dialog open title={`Edit preset “${preset.name}”`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: preset.id, name, description, isDefault }, { onSuccess: onClose });
        }}
      >
        <Field label="Name" error={fieldError('name') ?? (ui?.code === 'PRESET_NAME_TAKEN' ? ui.message : undefined)}>
          {(control) => <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" error={fieldError('description')}>
          {(control) => (
            <textarea
              {...control}
              className="textarea"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />
          Use as my default for {preset.cli}
        </label>
        {ui && !fieldError('name') && !fieldError('description') && ui.code !== 'PRESET_NAME_TAKEN' ? (
          <p className="field-error" role="alert">
            {ui.message}
          </p>
        ) : null}
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

function DeletePresetDialog({ preset, onClose }: { preset: Preset; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const remove = useMutation(deletePresetMutation(api, queryClient));
  return (
    <ConfirmDialog
      title={`Delete preset “${preset.name}”?`}
      confirmLabel="Delete preset"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(preset.id, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>Sessions launched with it keep their settings; the preset is gone for new launches.</p>
    </ConfirmDialog>
  );
}
