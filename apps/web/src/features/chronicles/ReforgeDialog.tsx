import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Chronicle } from '@volundr/contracts/chronicles';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, toUiError } from '../../api/api-error';
import { reforgeMutation } from '../../api/queries/chronicles';
import { useApi } from '../../app/contexts';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';

/** Starts a new session that continues the chronicle (same repository, branch, model). */
export function ReforgeDialog({ chronicle, onClose }: { chronicle: Chronicle; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const reforge = useMutation(reforgeMutation(api, queryClient));
  const [name, setName] = useState('');
  const ui = reforge.error ? toUiError(reforge.error) : null;
  const errors = ui ? fieldErrors(ui.issues) : {};
  const nameError = errors.name ?? (ui?.code === 'SESSION_NAME_TAKEN' ? ui.message : undefined);
  return (
    <Dialog open title="Reforge: continue in a new session" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reforge.mutate(
            { id: chronicle.id, ...(name.trim() ? { name: name.trim() } : {}) },
            { onSuccess: (session) => navigate(`/sessions/${encodeURIComponent(session.id)}`) },
          );
        }}
      >
        <p>
          A new session starts on{' '}
          {chronicle.repo ? `${chronicle.repo}${chronicle.branch ? ` @ ${chronicle.branch}` : ''}` : 'the same source'}{' '}
          with {chronicle.model ?? 'the same model'}, carrying this chronicle’s summary and unfinished work forward.
        </p>
        <Field
          label="Session name"
          hint={`Leave empty for “${chronicle.sessionName ?? 'session'}-reforged”.`}
          error={nameError}
        >
          {(control) => <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {ui && !nameError ? (
          <p className="field-error" role="alert">
            {ui.message}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={reforge.isPending}>
            {reforge.isPending ? 'Reforging…' : 'Reforge'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
