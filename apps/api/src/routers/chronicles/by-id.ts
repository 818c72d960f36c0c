import { ZChronicleByIdInput, ZChronicleDetail } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** A chronicle with its aggregates: file summary, commits, usage, token burn, duration. */
export const byId = authedProcedure
  .input(ZChronicleByIdInput)
  .output(ZChronicleDetail)
  .query(({ ctx, input }) => chronicleServices(ctx.services).byId(ctx.principal, input));
