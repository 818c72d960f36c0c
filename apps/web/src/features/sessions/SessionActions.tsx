import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Session } from '@volundr/contracts/sessions';
import { useState } from 'react';
import { Link } from 'react-router';
import { toUiError } from '../../api/api-error';
import { type LifecycleAction, lifecycleMutation } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { DeleteSessionDialog } from './DeleteSessionDialog';
import { sessionActions } from './session-list';
import './sessions.css';

const LABEL: Record<LifecycleAction, string> = { start: 'Start', stop: 'Stop', archive: 'Archive', restore: 'Restore' };
const ICON = { start: 'play', stop: 'stop', archive: 'archive', restore: 'refresh' } as const;

/**
 * The lifecycle buttons a session's state allows. Stopping an agent that is working and
 * deleting ask first; errors from the API are shown next to the buttons.
 */
export function SessionActions({
  session,
  showOpen = true,
  onDeleted,
}: {
  session: Session;
  showOpen?: boolean;
  onDeleted?: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const start = useMutation(lifecycleMutation(api, queryClient, 'start'));
  const stop = useMutation(lifecycleMutation(api, queryClient, 'stop'));
  const archive = useMutation(lifecycleMutation(api, queryClient, 'archive'));
  const restore = useMutation(lifecycleMutation(api, queryClient, 'restore'));
  const mutations = { start, stop, archive, restore };
  const [confirmStop, setConfirmStop] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = Object.values(mutations).some((m) => m.isPending);
  const error = Object.values(mutations).find((m) => m.error)?.error;

  const run = (action: LifecycleAction) => {
    for (const m of Object.values(mutations)) m.reset();
    mutations[action].mutate(session.id);
  };

  return (
    <div className="session-actions">
      {sessionActions(session.state).map((action) => {
        if (action === 'open')
          return showOpen ? (
            <Link key="open" className="btn btn-sm" to={`/sessions/${encodeURIComponent(session.id)}`}>
              Open<span className="visually-hidden"> {session.name}</span>
            </Link>
          ) : null;
        if (action === 'delete')
          return (
            <button
              key="delete"
              type="button"
              className="btn btn-sm"
              onClick={() => setConfirmDelete(true)}
              disabled={busy}
            >
              <Icon name="trash" />
              Delete<span className="visually-hidden"> {session.name}</span>
            </button>
          );
        const working = action === 'stop' && session.activityState !== 'idle';
        return (
          <button
            key={action}
            type="button"
            className="btn btn-sm"
            disabled={busy}
            onClick={() => (working ? setConfirmStop(true) : run(action))}
          >
            <Icon name={ICON[action]} />
            {mutations[action].isPending ? `${LABEL[action]}…` : LABEL[action]}
            <span className="visually-hidden"> {session.name}</span>
          </button>
        );
      })}
      {error ? (
        <span className="field-error" role="alert">
          {toUiError(error).message}
        </span>
      ) : null}
      <Dialog open={confirmStop} title={`Stop “${session.name}”?`} onClose={() => setConfirmStop(false)}>
        <p>The agent is working right now; stopping ends its turn. The workspace and the conversation are kept.</p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => setConfirmStop(false)}>
            Keep running
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => {
              setConfirmStop(false);
              run('stop');
            }}
          >
            Stop session
          </button>
        </div>
      </Dialog>
      {confirmDelete ? (
        <DeleteSessionDialog
          session={session}
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          {...(onDeleted ? { onDeleted } : {})}
        />
      ) : null}
    </div>
  );
}
