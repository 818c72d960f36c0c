import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type AdministeredUser, type Tenant, type UserStatus, ZUserStatus } from '@volundr/contracts/identity';
import { useId, useState } from 'react';
import { toUiError } from '../../api/api-error';
import {
  reprovisionUserMutation,
  suspendUserMutation,
  unsuspendUserMutation,
  usersQuery,
} from '../../api/queries/administration';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { TableScroll } from '../../components/TableScroll';
import { ApiErrorState } from '../common/ApiErrorState';
import { ROLE_LABELS, STATUS_TONES } from './labels';

const name = (u: AdministeredUser['user']) => u.displayName ?? u.id;

/**
 * The users of the administrator's tenant: status (and why provisioning failed), roles in the
 * tenants administered, suspend (asks first) or lift a suspension, re-provision.
 */
export function UsersPanel({ tenants, selfId }: { tenants: readonly Tenant[]; selfId: string | null }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<UserStatus | null>(null);
  const users = useInfiniteQuery(usersQuery(api, null, status));
  const unsuspend = useMutation(unsuspendUserMutation(api, queryClient));
  const reprovision = useMutation(reprovisionUserMutation(api, queryClient));
  const [suspending, setSuspending] = useState<AdministeredUser['user'] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const titleId = useId();
  const filterId = useId();
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const tenantName = (id: string) => tenants.find((t) => t.id === id)?.name ?? id;
  const failure = unsuspend.error ?? reprovision.error;
  return (
    <section aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId} className="section-title">
          Users
        </h2>
        <div className="field filter-inline">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            className="select"
            value={status ?? ''}
            onChange={(e) => setStatus(ZUserStatus.safeParse(e.target.value).data ?? null)}
          >
            <option value="">Every status</option>
            {ZUserStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p role="status" className="muted">
        {notice ?? ''}
      </p>
      {failure ? (
        <p className="field-error" role="alert">
          {toUiError(failure).message}
        </p>
      ) : null}
      {users.isPending ? <LoadingState label="Loading users…" /> : null}
      {users.isError ? (
        <ApiErrorState error={users.error} what="users" procedure="users.list" onRetry={() => void users.refetch()} />
      ) : null}
      {users.isSuccess && items.length === 0 ? (
        <EmptyState title={status ? `No ${status} users` : 'No users yet'}>
          {status ? 'Choose another status to see the others.' : 'People appear here after they first sign in.'}
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <TableScroll label="User list">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Status</th>
                <th scope="col">Roles</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map(({ user, memberships }) => (
                <tr key={user.id}>
                  <td>
                    {name(user)}
                    <div className="muted mono">{user.email ?? user.id}</div>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONES[user.status]}>{user.status}</Badge>
                    {user.provisionError ? <div className="muted">{user.provisionError}</div> : null}
                  </td>
                  <td>
                    {memberships.map((m) => (
                      <div key={m.tenantId}>
                        {ROLE_LABELS[m.role]} <span className="muted">in {tenantName(m.tenantId)}</span>
                      </div>
                    ))}
                  </td>
                  <td className="row-actions">
                    {user.status !== 'suspended' ? (
                      <button
                        type="button"
                        className="btn btn-sm"
                        disabled={reprovision.isPending}
                        onClick={() =>
                          reprovision.mutate(
                            { id: user.id },
                            { onSuccess: (u) => setNotice(`${name(u)} is re-provisioned (${u.status}).`) },
                          )
                        }
                      >
                        Re-provision<span className="visually-hidden"> {name(user)}</span>
                      </button>
                    ) : null}
                    {user.id === selfId ? null : user.status === 'suspended' ? (
                      <button
                        type="button"
                        className="btn btn-sm"
                        disabled={unsuspend.isPending}
                        onClick={() =>
                          unsuspend.mutate(
                            { id: user.id },
                            { onSuccess: (u) => setNotice(`${name(u)} may sign in again.`) },
                          )
                        }
                      >
                        Lift suspension<span className="visually-hidden"> of {name(user)}</span>
                      </button>
                    ) : (
                      <button type="button" className="btn btn-sm" onClick={() => setSuspending(user)}>
                        Suspend<span className="visually-hidden"> {name(user)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {users.hasNextPage ? (
        <button
          type="button"
          className="btn load-more"
          onClick={() => void users.fetchNextPage()}
          disabled={users.isFetchingNextPage}
        >
          {users.isFetchingNextPage ? 'Loading…' : 'More users'}
        </button>
      ) : null}
      {suspending ? (
        <SuspendDialog
          user={suspending}
          onClose={() => setSuspending(null)}
          onDone={(u) => {
            setSuspending(null);
            setNotice(`${name(u)} is suspended.`);
          }}
        />
      ) : null}
    </section>
  );
}

function SuspendDialog({
  user,
  onClose,
  onDone,
}: {
  user: AdministeredUser['user'];
  onClose: () => void;
  onDone: (user: AdministeredUser['user']) => void;
}) {
  const api = useApi();
  const suspend = useMutation(suspendUserMutation(api, useQueryClient()));
  return (
    <ConfirmDialog
      title={`Suspend ${name(user)}?`}
      confirmLabel="Suspend"
      pendingLabel="Suspending…"
      pending={suspend.isPending}
      error={suspend.error}
      onConfirm={() => suspend.mutate({ id: user.id }, { onSuccess: onDone })}
      onClose={onClose}
    >
      <p>
        Their next request to the API is refused (browser, CLI and access tokens alike) until you lift the suspension.
        Their sessions and files stay.
      </p>
    </ConfirmDialog>
  );
}
