import { type User, ZUserIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadUserFor, requireHomeInReach } from './administration-scope';
import { type ReprovisionDeps, reprovisionAccount } from './reprovision-account';

/**
 * Re-provisions a user of the principal's home-tenant reach: for a `failed` user this is the
 * administrator's retry (home volume, then `active`); for an `active` one it re-ensures the
 * home volume (idempotent). Suspended users are refused (`USER_INVALID_STATE`: lift the
 * suspension first); one being provisioned by a request right now is `USER_PROVISIONING`;
 * a new failure is `USER_PROVISIONING_FAILED` with the reason (the user stays `failed`).
 */
export const reprovisionUser =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization'> & ReprovisionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZUserIdInput>): Promise<User> => {
    const input = validateInput(ZUserIdInput, rawInput, 'user id');
    const reached = await loadUserFor(deps, principal, input.id, 'update');
    requireHomeInReach(reached, 're-provision');
    const result = await reprovisionAccount(deps, reached.user, principal.userId);
    if (result.outcome === 'provisioned') return result.user;
    if (result.outcome === 'failed') {
      throw new DomainError('USER_PROVISIONING_FAILED', `Re-provisioning ${input.id} failed: ${result.reason}.`, {
        userId: input.id,
        reason: result.reason,
        retryAfterSeconds: 5,
      });
    }
    if (result.status === 'suspended') {
      throw new DomainError(
        'USER_INVALID_STATE',
        `${input.id} is suspended; lift the suspension before re-provisioning the account.`,
        { userId: input.id, status: result.status },
      );
    }
    throw new DomainError('USER_PROVISIONING', `${input.id} is being provisioned right now; retry in a few seconds.`, {
      userId: input.id,
      retryAfterSeconds: 5,
    });
  };
