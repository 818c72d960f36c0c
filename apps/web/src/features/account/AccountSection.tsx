import { useQuery } from '@tanstack/react-query';
import { meQuery } from '../../api/queries/me';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { ApiErrorState } from '../common/ApiErrorState';

const ROLE = {
  'volundr:admin': 'administrator',
  'volundr:developer': 'developer',
  'volundr:viewer': 'viewer',
} as const;

/** Who the API sees: identity, roles, tenant memberships and the state of the user's home. */
export function AccountSection() {
  const api = useApi();
  const me = useQuery(meQuery(api));
  if (me.isPending) return <LoadingState label="Loading your account…" />;
  if (me.isError)
    return <ApiErrorState error={me.error} what="your account" procedure="me" onRetry={() => void me.refetch()} />;
  const { principal, user, memberships } = me.data;
  return (
    <dl className="review account">
      <div>
        <dt>Name</dt>
        <dd>{principal.name ?? user?.displayName ?? principal.userId}</dd>
      </div>
      <div>
        <dt>User id</dt>
        <dd className="mono">{principal.userId}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>{principal.email ?? user?.email ?? 'not set'}</dd>
      </div>
      <div>
        <dt>Roles</dt>
        <dd>{principal.roles.length ? principal.roles.map((r) => <Badge key={r}>{ROLE[r]}</Badge>) : 'none'}</dd>
      </div>
      <div>
        <dt>Tenant</dt>
        <dd className="mono">{principal.tenantId}</dd>
      </div>
      {memberships.length > 0 ? (
        <div>
          <dt>Memberships</dt>
          <dd>
            {memberships.map((m) => (
              <div key={`${m.tenantId}-${m.role}`}>
                <span className="mono">{m.tenantId}</span> as {ROLE[m.role]}
              </div>
            ))}
          </dd>
        </div>
      ) : null}
      {user ? (
        <div>
          <dt>Home volume</dt>
          <dd>
            {user.status === 'active' ? (
              <>
                ready
                {user.provisionedAt ? (
                  <>
                    {' '}
                    since <RelativeTime iso={user.provisionedAt} />
                  </>
                ) : null}
              </>
            ) : user.status === 'failed' ? (
              <span className="field-error">could not be prepared: {user.provisionError ?? 'no reason given'}</span>
            ) : (
              user.status
            )}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
