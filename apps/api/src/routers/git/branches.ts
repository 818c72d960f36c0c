import { ZBranchList, ZListBranchesInput } from '@volundr/contracts/git';
import { listBranches } from '@volundr/core/integrations/git/list-branches';
import { authedProcedure } from '../../trpc/trpc';
import { gitDeps } from './deps';

/** Every branch of an allowed repository (all pages). */
export const branches = authedProcedure
  .input(ZListBranchesInput)
  .output(ZBranchList)
  .query(({ ctx, input }) => listBranches(gitDeps(ctx.services))(ctx.principal, input));
