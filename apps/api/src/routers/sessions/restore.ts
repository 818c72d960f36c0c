import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Brings an archived session back as `stopped`. */
export const restore = storableProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.restore(ctx.principal, input));
