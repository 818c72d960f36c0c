import { ZModelList } from '@volundr/contracts/models';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

/** The models catalog: id, name, provider, CLI, cost per million tokens. */
export const list = authedProcedure
  .input(z.void())
  .output(ZModelList)
  .query(({ ctx }) => ctx.services.catalog.listModels(ctx.principal));
