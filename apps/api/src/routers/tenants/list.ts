import { ZTenantList } from '@volundr/contracts/identity';
import { listTenants } from '@volundr/core/identity/list-tenants';
import { z } from 'zod';
import { storableProcedure } from '../../trpc/storable-input';
import { administrationDeps } from './deps';

/** The caller's tenant and every tenant below it, by path (tenant administrators). */
export const list = storableProcedure
  .input(z.void())
  .output(ZTenantList)
  .query(({ ctx }) => listTenants(administrationDeps(ctx.services))(ctx.principal));
