import { ZTemplateList } from '@volundr/contracts/templates';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

/** Every template of the configuration (read-only; any signed-in user). */
export const list = authedProcedure
  .input(z.void())
  .output(ZTemplateList)
  .query(({ ctx }) => ctx.services.catalog.listTemplates(ctx.principal));
