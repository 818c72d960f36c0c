import { ZSession, ZUpdateSessionInput } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';

/** Renames a session or changes its model or branch (applied at the next start). */
export const update = authedProcedure
  .input(ZUpdateSessionInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.update(ctx.principal, input));
