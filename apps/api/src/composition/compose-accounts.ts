import { createLocalHomeVolumes } from '@volundr/adapter-local/local-home-volumes';
import type { User } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { HomeVolumes } from '@volundr/core/identity/ports/home-volumes';
import type { PersonalAccessTokens } from '@volundr/core/identity/ports/personal-access-tokens';
import type { Tenants } from '@volundr/core/identity/ports/tenants';
import type { Users } from '@volundr/core/identity/ports/users';
import { provisionUser } from '@volundr/core/identity/provision-user';
import { verifyPersonalAccessToken } from '@volundr/core/identity/verify-personal-access-token';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Database } from '@volundr/db/client';
import { createAuditedAccountRepositories } from '@volundr/db/repositories/audit-log';
import type { Config } from '../config/schema';
import type { AppLogger } from '../logger';
import { loadAdapter } from './load-adapter';

/** How long this process trusts that a user it saw `active` still is (see rememberActiveUsers). */
export const ACTIVE_USER_TTL_MS = 5_000;

/**
 * Every authenticated request runs just-in-time provisioning, whose first step reads the user
 * (a query per request for a user provisioned long ago). This remembers, per process and for
 * `ttlMs`, the users it found `active`, so a busy user costs one read per `ttlMs` rather than
 * one per request. Nothing else is remembered (a user being provisioned, failed or suspended is
 * read every time), and a suspension takes effect on each replica within `ttlMs` (at once on
 * the replica that suspended, which calls `forget`). At most `maxEntries` users are kept; the
 * oldest go first.
 */
export function rememberActiveUsers(
  provision: (principal: Principal) => Promise<User>,
  options: { clock: Clock; ttlMs?: number; maxEntries?: number },
): ((principal: Principal) => Promise<void>) & { forget(userId: string): void } {
  const ttlMs = options.ttlMs ?? ACTIVE_USER_TTL_MS;
  const maxEntries = options.maxEntries ?? 10_000;
  const activeUntil = new Map<string, number>();
  const check = async (principal: Principal) => {
    const now = options.clock.now().getTime();
    const until = activeUntil.get(principal.userId);
    if (until !== undefined && until > now) return;
    activeUntil.delete(principal.userId);
    const user = await provision(principal);
    if (user.status !== 'active') return;
    activeUntil.set(principal.userId, now + ttlMs);
    if (activeUntil.size > maxEntries) activeUntil.delete(activeUntil.keys().next().value!);
  };
  return Object.assign(check, { forget: (userId: string) => void activeUntil.delete(userId) });
}

export interface ComposedAccounts {
  users: Users;
  tenants: Tenants;
  tokens: PersonalAccessTokens;
  homeVolumes: HomeVolumes;
  provisionUser(principal: Principal): Promise<void>;
  /** Drops the user from this process's "seen active" memory, so a suspension applies to their next request. */
  forgetActiveUser(userId: string): void;
  verifyToken: ReturnType<typeof verifyPersonalAccessToken>;
}

/** Users, tenants, personal access tokens and just-in-time provisioning, on the database. */
export async function composeAccounts(
  config: Config,
  database: Database,
  clock: Clock,
  logger: AppLogger,
  deps: Readonly<Record<string, unknown>> = {},
): Promise<ComposedAccounts> {
  // Token, provisioning and membership writes are audited in their own transactions.
  const { users, tenants, tokens } = createAuditedAccountRepositories(database);
  // Homes are directories in the data dir unless configured (e.g. PVCs of the Kubernetes runtime).
  const homeVolumes = config.adapters.homeVolumes
    ? await loadAdapter<HomeVolumes>({
        blockName: 'adapters.homeVolumes',
        port: 'homeVolumes',
        block: config.adapters.homeVolumes,
        deps,
      })
    : createLocalHomeVolumes(config.dataDir);
  const provision = rememberActiveUsers(provisionUser({ users, tenants, homeVolumes, clock, logger }), { clock });
  return {
    users,
    tenants,
    tokens,
    homeVolumes,
    provisionUser: async (principal) => {
      // A session-scoped credential acts for an existing owner; it never creates users.
      if (principal.sessionScope) return;
      await provision(principal);
    },
    forgetActiveUser: (userId) => provision.forget(userId),
    verifyToken: verifyPersonalAccessToken({ tokens, users, tenants, clock }),
  };
}
