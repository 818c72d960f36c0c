import { ZCreateSessionInput, ZSession } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Creates a session (and starts it unless `start: false`): defaults layered profile → template → preset → request. */
export const create = storableProcedure
  .input(ZCreateSessionInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => ctx.services.sessions.create(ctx.principal, input));
