import { ZRepoValidation, ZValidateRepoInput } from '@volundr/contracts/git';
import { validateRepo } from '@volundr/core/integrations/git/validate-repo';
import { authedProcedure } from '../../trpc/trpc';
import { gitDeps } from './deps';

/** Whether a repository may back a session (allowed host and organisation, reachable, branch). */
export const validate = authedProcedure
  .input(ZValidateRepoInput)
  .output(ZRepoValidation)
  .query(({ ctx, input }) => validateRepo(gitDeps(ctx.services))(ctx.principal, input));
