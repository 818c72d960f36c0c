import { ZGitProviderInfo } from '@volundr/contracts/git';
import { authorizeCreate } from '@volundr/core/sessions/session-access';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

/** The configured git provider instances (names, hosts, allowed organisations; never tokens). */
export const providers = authedProcedure
  .input(z.strictObject({}).default({}))
  .output(z.array(ZGitProviderInfo))
  .query(async ({ ctx }) => {
    await authorizeCreate(ctx.services.authorization, ctx.principal);
    return ctx.services.gitCredentials.providers.list();
  });
