import { ZEventsHealth } from '@volundr/contracts/events';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';
import { eventServices } from './deps';

/** Each event sink's state, cursor, lag and last failure (tenant admins). */
export const health = authedProcedure
  .input(z.strictObject({}).optional())
  .output(ZEventsHealth)
  .query(({ ctx }) => eventServices(ctx.services).health(ctx.principal));
