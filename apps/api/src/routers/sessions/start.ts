import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Starts a created, stopped or failed session with its stored launch; the reconciler provisions it. */
export const start = storableProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.start(ctx.principal, input));
