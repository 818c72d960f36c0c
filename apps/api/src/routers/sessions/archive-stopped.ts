import { ZArchiveStoppedOutput } from '@volundr/contracts/sessions';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

/** Archives every stopped session of the principal; ones that changed meanwhile are listed as skipped. */
export const archiveStopped = authedProcedure
  .input(z.void())
  .output(ZArchiveStoppedOutput)
  .mutation(({ ctx }) => ctx.services.sessions.archiveStopped(ctx.principal));
