import { infiniteQueryOptions, mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { UserStatus } from '@volundr/contracts/identity';
import type { Api } from '../api-client';
import type { InputOf } from '../procedures';

/** Tenant and user administration: keys, and what each change makes stale. */
export const adminKeys = {
  all: ['administration'] as const,
  tenants: () => [...adminKeys.all, 'tenants'] as const,
  members: (tenantId: string) => [...adminKeys.all, 'members', tenantId] as const,
  users: (tenantId: string | null, status: UserStatus | null) => [...adminKeys.all, 'users', tenantId, status] as const,
};

export const tenantsQuery = (api: Api) =>
  queryOptions({
    queryKey: adminKeys.tenants(),
    queryFn: ({ signal }) => api.query('tenants.list', undefined, signal),
  });

export const membersQuery = (api: Api, tenantId: string) =>
  queryOptions({
    queryKey: adminKeys.members(tenantId),
    queryFn: ({ signal }) => api.query('tenants.members.list', { tenantId }, signal),
  });

export const usersQuery = (api: Api, tenantId: string | null, status: UserStatus | null) =>
  infiniteQueryOptions({
    queryKey: adminKeys.users(tenantId, status),
    queryFn: ({ signal, pageParam }) =>
      api.query(
        'users.list',
        {
          limit: 50,
          ...(tenantId ? { tenantId } : {}),
          ...(status ? { status } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

// Memberships and statuses show in the members, users and tenants views (and the audit log):
// every change refreshes all of administration, and the audit log.
const invalidate = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: adminKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['audit'] }),
  ]);

const change = <P extends Parameters<Api['mutate']>[0]>(api: Api, queryClient: QueryClient, path: P) =>
  mutationOptions({
    mutationFn: (input: InputOf<P>) => api.mutate(path, input),
    onSuccess: () => invalidate(queryClient),
  });

export const createTenantMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.create');
export const updateTenantMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.update');
export const deleteTenantMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.delete');
export const reprovisionTenantMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.reprovision');
export const addMemberMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.members.add');
export const setMemberRoleMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.members.setRole');
export const removeMemberMutation = (api: Api, qc: QueryClient) => change(api, qc, 'tenants.members.remove');
export const suspendUserMutation = (api: Api, qc: QueryClient) => change(api, qc, 'users.suspend');
export const unsuspendUserMutation = (api: Api, qc: QueryClient) => change(api, qc, 'users.unsuspend');
export const reprovisionUserMutation = (api: Api, qc: QueryClient) => change(api, qc, 'users.reprovision');
