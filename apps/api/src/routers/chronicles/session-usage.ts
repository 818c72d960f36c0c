import { ZSessionUsage, ZSessionUsageInput } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** A session's token usage and cost, in total and per model. */
export const bySession = authedProcedure
  .input(ZSessionUsageInput)
  .output(ZSessionUsage)
  .query(({ ctx, input }) => chronicleServices(ctx.services).sessionUsage(ctx.principal, input));
