import { ZChronicleChain, ZChronicleIdInput } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** The reforge chain through a chronicle: ancestors oldest first, the chronicle, its descendants. */
export const chain = authedProcedure
  .input(ZChronicleIdInput)
  .output(ZChronicleChain)
  .query(({ ctx, input }) => chronicleServices(ctx.services).chain(ctx.principal, input));
