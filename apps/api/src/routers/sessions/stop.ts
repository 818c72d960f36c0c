import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';

/** Asks a starting, provisioning or running session to stop (stopping twice is one stop). */
export const stop = authedProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.stop(ctx.principal, input));
