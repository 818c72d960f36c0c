import { ZSubmitReportsInput } from '@volundr/contracts/chronicles';
import { ZReportBatchResult } from '@volundr/contracts/reports';
import { authedProcedure } from '../../trpc/trpc';
import { chronicleServices } from '../chronicles/deps';

/**
 * A batch of the session broker's reports (usage, activity, timeline, final). Idempotent by
 * report key; only the session's own broker token or a principal allowed to report on it may.
 */
export const submit = authedProcedure
  .input(ZSubmitReportsInput)
  .output(ZReportBatchResult)
  .mutation(({ ctx, input }) => chronicleServices(ctx.services).ingestReports(ctx.principal, input));
