import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Archives a created, stopped or failed session; an active one is stopped first, then archived. */
export const archive = storableProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.archive(ctx.principal, input));
