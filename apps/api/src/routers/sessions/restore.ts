import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';

/** Brings an archived session back as `stopped`. */
export const restore = authedProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.restore(ctx.principal, input));
