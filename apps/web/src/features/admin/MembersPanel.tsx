import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Tenant, TenantMember } from '@volundr/contracts/identity';
import { type Role, ZRole } from '@volundr/contracts/principal';
import { useId, useState } from 'react';
import { toUiError } from '../../api/api-error';
import {
  addMemberMutation,
  membersQuery,
  removeMemberMutation,
  setMemberRoleMutation,
} from '../../api/queries/administration';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { LoadingState } from '../../components/LoadingState';
import { TableScroll } from '../../components/TableScroll';
import { ApiErrorState } from '../common/ApiErrorState';
import { ROLE_LABELS, STATUS_TONES } from './labels';

const ROLES = ZRole.options;
const who = (m: Pick<TenantMember, 'displayName' | 'userId'>) => m.displayName ?? m.userId;

/** The members of one tenant: their roles (changed in place), removal (asks first), adding. */
export function MembersPanel({ tenant, knownUsers }: { tenant: Tenant; knownUsers: readonly string[] }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const members = useQuery(membersQuery(api, tenant.id));
  const setRole = useMutation(setMemberRoleMutation(api, queryClient));
  const [removing, setRemoving] = useState<TenantMember | null>(null);
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <div className="section-head">
        <h4 id={titleId} className="section-title">
          Members of {tenant.name}
        </h4>
      </div>
      {setRole.error ? (
        <p className="field-error" role="alert">
          {toUiError(setRole.error).message}
        </p>
      ) : null}
      {members.isPending ? <LoadingState label="Loading members…" inline /> : null}
      {members.isError ? (
        <ApiErrorState
          error={members.error}
          what="the members"
          procedure="tenants.members.list"
          onRetry={() => void members.refetch()}
        />
      ) : null}
      {members.isSuccess && members.data.length === 0 ? (
        <EmptyState title="No members">
          People become members when they first sign in with this tenant, or when you add them below.
        </EmptyState>
      ) : null}
      {members.isSuccess && members.data.length > 0 ? (
        <TableScroll label={`Member list of ${tenant.name}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {who(m)}
                    <div className="muted mono">{m.email ?? m.userId}</div>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONES[m.status]}>{m.status}</Badge>
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${tenant.id}-${m.userId}`}>
                      Role of {who(m)}
                    </label>
                    <select
                      id={`role-${tenant.id}-${m.userId}`}
                      className="select"
                      value={m.role}
                      disabled={setRole.isPending}
                      onChange={(e) => {
                        const role = ZRole.safeParse(e.target.value);
                        if (role.success) setRole.mutate({ tenantId: tenant.id, userId: m.userId, role: role.data });
                      }}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="btn btn-sm" onClick={() => setRemoving(m)}>
                      Remove<span className="visually-hidden"> {who(m)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <AddMemberForm tenant={tenant} knownUsers={knownUsers} />
      {removing ? <RemoveMemberDialog tenant={tenant} member={removing} onClose={() => setRemoving(null)} /> : null}
    </section>
  );
}

function AddMemberForm({ tenant, knownUsers }: { tenant: Tenant; knownUsers: readonly string[] }) {
  const api = useApi();
  const add = useMutation(addMemberMutation(api, useQueryClient()));
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('volundr:developer');
  const listId = useId();
  const ui = add.error ? toUiError(add.error) : null;
  const userError =
    ui && ['USER_NOT_FOUND', 'MEMBERSHIP_EXISTS', 'VALIDATION_FAILED'].includes(ui.code) ? ui.message : undefined;
  return (
    <form
      className="inline-form admin-add-member"
      aria-label={`Add a member to ${tenant.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ tenantId: tenant.id, userId: userId.trim(), role }, { onSuccess: () => setUserId('') });
      }}
    >
      <Field label="User to add" hint="The user id of someone in your tenants" error={userError}>
        {(control) => (
          <input
            {...control}
            className="input mono"
            list={listId}
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          />
        )}
      </Field>
      <datalist id={listId}>
        {knownUsers.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <Field label="Role">
        {(control) => (
          <select
            {...control}
            className="select"
            value={role}
            onChange={(e) => setRole(ZRole.safeParse(e.target.value).data ?? role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button
        type="submit"
        className="btn btn-primary inline-form-submit"
        disabled={add.isPending || userId.trim() === ''}
      >
        {add.isPending ? 'Adding…' : 'Add member'}
      </button>
      {ui && !userError ? (
        <p className="field-error" role="alert">
          {ui.message}
        </p>
      ) : null}
    </form>
  );
}

function RemoveMemberDialog({
  tenant,
  member,
  onClose,
}: {
  tenant: Tenant;
  member: TenantMember;
  onClose: () => void;
}) {
  const api = useApi();
  const remove = useMutation(removeMemberMutation(api, useQueryClient()));
  return (
    <ConfirmDialog
      title={`Remove ${who(member)} from ${tenant.name}?`}
      confirmLabel="Remove member"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate({ tenantId: tenant.id, userId: member.userId }, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        Their account, sessions and other memberships stay. A tenant keeps at least one administrator while it has
        members.
      </p>
    </ConfirmDialog>
  );
}
