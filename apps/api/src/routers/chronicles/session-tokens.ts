import { ZSessionTokensInput, ZTokenBurn } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** A session's token burn in buckets of 60–3600 s (default 300), per model. */
export const tokens = authedProcedure
  .input(ZSessionTokensInput)
  .output(ZTokenBurn)
  .query(({ ctx, input }) => chronicleServices(ctx.services).sessionTokens(ctx.principal, input));
