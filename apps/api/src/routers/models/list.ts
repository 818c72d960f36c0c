import { ZModelList } from '@volundr/contracts/models';
import { z } from 'zod';
import { storableProcedure } from '../../trpc/storable-input';

/** The models catalog: id, name, provider, CLI, cost per million tokens. */
export const list = storableProcedure
  .input(z.void())
  .output(ZModelList)
  .query(({ ctx }) => ctx.services.catalog.listModels(ctx.principal));
