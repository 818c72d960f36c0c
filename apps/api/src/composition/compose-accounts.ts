import { createLocalHomeVolumes } from '@volundr/adapter-local/local-home-volumes';
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

export interface ComposedAccounts {
  users: Users;
  tenants: Tenants;
  tokens: PersonalAccessTokens;
  homeVolumes: HomeVolumes;
  provisionUser(principal: Principal): Promise<void>;
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
  const provision = provisionUser({ users, tenants, homeVolumes, clock, logger });
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
    verifyToken: verifyPersonalAccessToken({ tokens, users, tenants, clock }),
  };
}
