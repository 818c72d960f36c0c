import { ZAuditPage, ZListAuditInput } from '@volundr/contracts/events';
import { authedProcedure } from '../../trpc/trpc';
import { eventServices } from '../events/deps';

/** Audit entries of the caller's tenant, newest first (tenant admins). */
export const list = authedProcedure
  .input(ZListAuditInput.prefault({}))
  .output(ZAuditPage)
  .query(({ ctx, input }) => eventServices(ctx.services).listAudit(ctx.principal, input));
