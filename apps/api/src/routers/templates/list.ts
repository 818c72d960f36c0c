import { ZTemplateList } from '@volundr/contracts/templates';
import { z } from 'zod';
import { storableProcedure } from '../../trpc/storable-input';

/** Every template of the configuration (read-only; any signed-in user). */
export const list = storableProcedure
  .input(z.void())
  .output(ZTemplateList)
  .query(({ ctx }) => ctx.services.catalog.listTemplates(ctx.principal));
