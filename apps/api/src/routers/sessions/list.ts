import { ZListSessionsInput, ZSessionPage } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';

/** A page of the sessions the principal may see, newest first (`nextCursor` for the next). */
export const list = authedProcedure
  .input(ZListSessionsInput)
  .output(ZSessionPage)
  .query(({ ctx, input }) => ctx.services.sessions.list(ctx.principal, input));
