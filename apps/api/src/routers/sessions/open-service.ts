import { ZOpenSessionServiceInput, ZOpenSessionServiceOutput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/**
 * Asked by a session gateway before it opens a session's chat, terminal, IDE or API for someone
 * other than its owner: the same check the gateway makes, here where it is audited
 * (`authz.acted_on_other` with the service). Refused as byId and the actions are.
 */
export const openService = storableProcedure
  .input(ZOpenSessionServiceInput)
  .output(ZOpenSessionServiceOutput)
  .mutation(({ ctx, input }) => ctx.services.sessions.openService(ctx.principal, input));
