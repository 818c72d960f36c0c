import { ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import { storableProcedure } from '../../trpc/storable-input';
import { ZTrackedSessionEvents } from './tracked-events';

/**
 * Every transition and provisioning event of one session (`sessionId`) or of every session the
 * principal may list, with ids: a client that reconnects with `lastEventId` (tRPC does it for
 * it; over REST the `Last-Event-ID` header) gets what it missed, then live events. The access
 * check runs when the subscription is made, so a refusal is an error answer (a REST 404), not
 * a stream that fails after it started. The events come from the repository's async generator,
 * which ends when `signal` aborts; the output schema yields each as `tracked(id, event)`.
 */
export const onState = storableProcedure
  .input(ZWatchSessionEventsInput)
  .output(ZTrackedSessionEvents)
  .subscription(({ ctx, input, signal }) => ctx.services.sessions.watch(ctx.principal, input, signal));
