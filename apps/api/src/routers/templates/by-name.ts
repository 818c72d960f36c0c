import { ZTemplate, ZTemplateByNameInput } from '@volundr/contracts/templates';
import { storableProcedure } from '../../trpc/storable-input';

/** One template by name (TEMPLATE_NOT_FOUND otherwise). */
export const byName = storableProcedure
  .input(ZTemplateByNameInput)
  .output(ZTemplate)
  .query(({ ctx, input }) => ctx.services.catalog.templateByName(ctx.principal, input));
