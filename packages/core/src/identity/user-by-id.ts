import { type AdministeredUser, ZUserIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadUserFor } from './administration-scope';

/** A user who is a member of a tenant the principal administers, with those memberships. */
export const userById =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZUserIdInput>): Promise<AdministeredUser> => {
    const input = validateInput(ZUserIdInput, rawInput, 'user id');
    const { user, memberships } = await loadUserFor(deps, principal, input.id, 'read');
    return { user, memberships };
  };
