import { ZChronicleTimelineInput, ZTimelinePage } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** A chronicle's timeline by type and time range, oldest first, in pages. */
export const timeline = authedProcedure
  .input(ZChronicleTimelineInput)
  .output(ZTimelinePage)
  .query(({ ctx, input }) => chronicleServices(ctx.services).timeline(ctx.principal, input));
