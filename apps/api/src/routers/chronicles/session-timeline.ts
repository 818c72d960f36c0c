import { ZSessionTimelineInput, ZTimelinePage } from '@volundr/contracts/chronicles';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from './deps';

/** A session's reported events by type and time range, oldest first, in pages. */
export const bySession = authedProcedure
  .input(ZSessionTimelineInput)
  .output(ZTimelinePage)
  .query(({ ctx, input }) => chronicleServices(ctx.services).sessionTimeline(ctx.principal, input));
