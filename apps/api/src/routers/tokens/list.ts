import { ZPersonalAccessToken } from '@volundr/contracts/identity';
import { listPersonalAccessTokens } from '@volundr/core/identity/list-personal-access-tokens';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';
import { tokenDeps } from './deps';

/** The caller's personal access tokens (metadata only; never the token). */
export const list = authedProcedure
  .input(z.strictObject({ includeRevoked: z.boolean().default(false) }).default({ includeRevoked: false }))
  .output(z.array(ZPersonalAccessToken))
  .query(({ ctx, input }) => listPersonalAccessTokens(tokenDeps(ctx.services))(ctx.principal, input));
