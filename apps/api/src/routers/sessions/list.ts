import { ZListSessionsInput, ZSessionPage } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';
import { pageOutput } from '../../trpc/sync-output';

/** A page of the sessions the principal may see, newest first (`nextCursor` for the next). */
export const list = storableProcedure
  .input(ZListSessionsInput)
  .output(pageOutput(ZSessionPage))
  .query(({ ctx, input }) => ctx.services.sessions.list(ctx.principal, input));
