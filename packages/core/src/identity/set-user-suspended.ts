import { type User, ZUserIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadUserFor, requireHomeInReach, userNotFound } from './administration-scope';

/**
 * Suspends an account (`suspended: true`) or lifts the suspension. A suspended user's requests
 * are refused from then on (403 with a bearer token of the identity provider, 401 with a
 * personal access token); their sessions and data stay. For the administrators of the user's
 * home tenant (or a tenant above it); nobody suspends themself. Audited, naming the principal.
 */
export const setUserSuspended =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization' | 'clock'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZUserIdInput>, suspended: boolean): Promise<User> => {
    const input = validateInput(ZUserIdInput, rawInput, 'user id');
    const verb = suspended ? 'suspend' : 'lift the suspension of';
    const reached = await loadUserFor(deps, principal, input.id, 'update');
    requireHomeInReach(reached, verb);
    if (input.id === principal.userId) {
      throw new DomainError('BAD_REQUEST', 'You cannot suspend your own account (or lift your own suspension).', {
        userId: input.id,
      });
    }
    // Already so: nothing changes and nothing is recorded.
    if ((reached.user.status === 'suspended') === suspended) return reached.user;
    const user = await deps.users.setSuspended(input.id, suspended, deps.clock.now(), principal.userId);
    if (!user) throw userNotFound(input.id);
    return user;
  };
