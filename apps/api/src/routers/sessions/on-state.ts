import { tracked } from '@trpc/server';
import { ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import { authedProcedure } from '../../trpc/trpc';
import { ZTrackedSessionEvents } from './tracked-events';

/**
 * Every transition and provisioning event of one session (`sessionId`) or of every session the
 * principal may list, with ids: a client that reconnects with `lastEventId` (tRPC does it for
 * it; over REST the `Last-Event-ID` header) gets what it missed, then live events.
 */
export const onState = authedProcedure
  .input(ZWatchSessionEventsInput)
  .output(ZTrackedSessionEvents)
  .subscription(async function* ({ ctx, input, signal }) {
    const events = await ctx.services.sessions.watch(ctx.principal, input, signal);
    for await (const event of events) yield tracked(event.id, event);
  });
