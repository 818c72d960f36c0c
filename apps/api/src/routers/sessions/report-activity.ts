import { ZReportActivityInput } from '@volundr/contracts/sessions';
import { z } from 'zod';
import { storableProcedure } from '../../trpc/storable-input';

/** The broker's report of what the agent is doing; resets the idle clock, browser or not. */
export const reportActivity = storableProcedure
  .input(ZReportActivityInput)
  .output(z.void())
  .mutation(({ ctx, input }) => ctx.services.sessions.reportActivity(ctx.principal, input));
