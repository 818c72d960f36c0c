import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Asks a starting, provisioning or running session to stop (stopping twice is one stop). */
export const stop = storableProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.stop(ctx.principal, input));
