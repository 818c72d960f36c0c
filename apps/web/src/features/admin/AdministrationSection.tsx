import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { tenantsQuery, usersQuery } from '../../api/queries/administration';
import { useApi, useAuth } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { ApiErrorState } from '../common/ApiErrorState';
import { AuditSection } from './AuditSection';
import { TenantsPanel } from './TenantsPanel';
import { UsersPanel } from './UsersPanel';
import './admin.css';

/** Settings for tenant administrators: tenants and their members, users, the audit log. */
export function AdministrationSection() {
  const api = useApi();
  const { state } = useAuth();
  const tenants = useQuery(tenantsQuery(api));
  // Ids of the people the administrator's tenant knows, to pick from when adding a member.
  const known = useInfiniteQuery(usersQuery(api, null, null));
  const knownUsers = known.data?.pages.flatMap((p) => p.items.map((i) => i.user.id)) ?? [];
  const selfId = state.status === 'signed-in' ? state.user.claims.sub : null;
  return (
    <>
      {tenants.isPending ? <LoadingState label="Loading tenants…" /> : null}
      {tenants.isError ? (
        <ApiErrorState
          error={tenants.error}
          what="tenant administration"
          procedure="tenants.list"
          onRetry={() => void tenants.refetch()}
        />
      ) : null}
      {tenants.isSuccess && tenants.data.length === 0 ? (
        <EmptyState title="No tenant to administer">
          Your account is not a member of a tenant yet. Sign out and in again; if this stays, ask whoever runs Volundr.
        </EmptyState>
      ) : null}
      {tenants.isSuccess && tenants.data.length > 0 ? (
        <>
          <TenantsPanel tenants={tenants.data} knownUsers={knownUsers} />
          <UsersPanel tenants={tenants.data} selfId={selfId} />
        </>
      ) : null}
      <AuditSection />
    </>
  );
}
