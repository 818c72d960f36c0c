import { ZSession, ZUpdateSessionInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Renames a session or changes its model or branch (applied at the next start). */
export const update = storableProcedure
  .input(ZUpdateSessionInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.update(ctx.principal, input));
