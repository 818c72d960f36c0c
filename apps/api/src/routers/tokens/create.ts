import { ZCreatedPersonalAccessToken, ZCreatePersonalAccessTokenInput } from '@volundr/contracts/identity';
import { createPersonalAccessToken } from '@volundr/core/identity/create-personal-access-token';
import { authedProcedure } from '../../trpc/trpc';
import { tokenDeps } from './deps';

/** Mints a personal access token; the token itself is in this answer only. */
export const create = authedProcedure
  .input(ZCreatePersonalAccessTokenInput)
  .output(ZCreatedPersonalAccessToken)
  .mutation(({ ctx, input }) => createPersonalAccessToken(tokenDeps(ctx.services))(ctx.principal, input));
