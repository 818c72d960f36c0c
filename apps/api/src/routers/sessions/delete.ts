import { ZDeleteSessionInput, ZDeleteSessionOutput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Deletes a session: stops its runtime, runs the cleanups, optionally removes its workspace and chronicles. */
export const remove = storableProcedure
  .input(ZDeleteSessionInput)
  .output(ZDeleteSessionOutput)
  .mutation(({ ctx, input }) => ctx.services.sessions.remove(ctx.principal, input));
