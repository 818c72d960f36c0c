import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Session } from '@volundr/contracts/sessions';
import { useState } from 'react';
import { toUiError } from '../../api/api-error';
import { deleteSessionMutation } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { Dialog } from '../../components/Dialog';

/** Deleting is final: say what goes, let the person choose what else goes with it. */
export function DeleteSessionDialog({
  session,
  open,
  onClose,
  onDeleted,
}: {
  session: Session;
  open: boolean;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [workspace, setWorkspace] = useState(false);
  const [chronicles, setChronicles] = useState(false);
  const remove = useMutation(deleteSessionMutation(api, queryClient));
  const submit = () => {
    const cleanup = [
      ...(workspace ? (['workspace_storage'] as const) : []),
      ...(chronicles ? (['chronicles'] as const) : []),
    ];
    // mutateAsync: the follow-up must run even if this dialog is gone by the time the API
    // answers (callbacks given to mutate() are dropped for unmounted components).
    remove.mutateAsync({ id: session.id, cleanup }).then(
      () => {
        onClose();
        onDeleted?.();
      },
      () => undefined, // shown from remove.error
    );
  };
  return (
    <Dialog open={open} title={`Delete “${session.name}”?`} onClose={onClose}>
      <p>
        The session is removed for good{session.state === 'running' ? ' (it is stopped first)' : ''}. Its workspace
        files and chronicles are kept unless you choose otherwise:
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={workspace} onChange={(e) => setWorkspace(e.target.checked)} />
        Also delete the workspace files
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={chronicles} onChange={(e) => setChronicles(e.target.checked)} />
        Also delete the session’s chronicles
      </label>
      {remove.error ? (
        <p className="field-error" role="alert">
          {toUiError(remove.error).message}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={submit} disabled={remove.isPending}>
          {remove.isPending ? 'Deleting…' : 'Delete session'}
        </button>
      </div>
    </Dialog>
  );
}
