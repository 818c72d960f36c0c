import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';

/** One session the principal may read (another user's is SESSION_NOT_FOUND). */
export const byId = authedProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .query(({ ctx, input }) => ctx.services.sessions.byId(ctx.principal, input));
