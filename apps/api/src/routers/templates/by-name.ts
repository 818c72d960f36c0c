import { ZTemplate, ZTemplateByNameInput } from '@volundr/contracts/templates';
import { authedProcedure } from '../../trpc/trpc';

/** One template by name (TEMPLATE_NOT_FOUND otherwise). */
export const byName = authedProcedure
  .input(ZTemplateByNameInput)
  .output(ZTemplate)
  .query(({ ctx, input }) => ctx.services.catalog.templateByName(ctx.principal, input));
