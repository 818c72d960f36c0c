import { ZSession, ZSessionIdInput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** One session the principal may read (another user's is SESSION_NOT_FOUND). */
export const byId = storableProcedure
  .input(ZSessionIdInput)
  .output(ZSession)
  .query(({ ctx, input }) => ctx.services.sessions.byId(ctx.principal, input));
