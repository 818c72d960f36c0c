import { ZArchiveStoppedInput, ZArchiveStoppedOutput } from '@volundr/contracts/sessions';
import { storableProcedure } from '../../trpc/storable-input';

/** Archives every stopped session of the principal; ones that changed meanwhile are listed as skipped. */
export const archiveStopped = storableProcedure
  .input(ZArchiveStoppedInput)
  .output(ZArchiveStoppedOutput)
  .mutation(({ ctx }) => ctx.services.sessions.archiveStopped(ctx.principal));
