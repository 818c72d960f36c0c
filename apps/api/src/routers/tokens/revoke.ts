import { ZPersonalAccessToken, ZPersonalAccessTokenIdInput } from '@volundr/contracts/identity';
import { revokePersonalAccessToken } from '@volundr/core/identity/revoke-personal-access-token';
import { authedProcedure } from '../../trpc/trpc';
import { tokenDeps } from './deps';

/** Revokes one of the caller's tokens; it stops working at once. */
export const revoke = authedProcedure
  .input(ZPersonalAccessTokenIdInput)
  .output(ZPersonalAccessToken)
  .mutation(({ ctx, input }) => revokePersonalAccessToken(tokenDeps(ctx.services))(ctx.principal, input.id));
