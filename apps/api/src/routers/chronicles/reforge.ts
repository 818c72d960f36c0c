import { ZReforgeChronicleInput } from '@volundr/contracts/chronicles';
import { ZSession } from '@volundr/contracts/sessions';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** Starts a new session that continues the chronicle (same repository, branch, model, template). */
export const reforge = authedProcedure
  .input(ZReforgeChronicleInput)
  .output(ZSession)
  .mutation(({ ctx, input }) => chronicleServices(ctx.services).reforge(ctx.principal, input));
