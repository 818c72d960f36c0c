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
import { createPersonalAccessTokensRepository } from '@volundr/db/repositories/personal-access-tokens';
import { createTenantsRepository } from '@volundr/db/repositories/tenants';
import { createUsersRepository } from '@volundr/db/repositories/users';
import type { Config } from '../config/schema';
import type { AppLogger } from '../logger';

export interface ComposedAccounts {
  users: Users;
  tenants: Tenants;
  tokens: PersonalAccessTokens;
  homeVolumes: HomeVolumes;
  provisionUser(principal: Principal): Promise<void>;
  verifyToken: ReturnType<typeof verifyPersonalAccessToken>;
}

/** Users, tenants, personal access tokens and just-in-time provisioning, on the database. */
export function composeAccounts(config: Config, database: Database, clock: Clock, logger: AppLogger): ComposedAccounts {
  const users = createUsersRepository(database.drizzle);
  const tenants = createTenantsRepository(database.drizzle);
  const tokens = createPersonalAccessTokensRepository(database.drizzle);
  // Local mode keeps homes as directories; the Kubernetes runtime provides PVC-backed home volumes.
  const homeVolumes = createLocalHomeVolumes(config.dataDir);
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
