import { type BranchList, ZListBranchesInput } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../../authz/ports/authorization';
import { authorizeCreate } from '../../sessions/session-access';
import { validateInput } from '../../sessions/validate-input';
import { type GitCredentialDeps, gitAuthFor } from './git-auth';

/** Every branch of an allowed repository (all pages), for choosing a session's branch. */
export const listBranches =
  (deps: GitCredentialDeps & { authorization: Authorization }) =>
  async (principal: Principal, rawInput: { repo: string }): Promise<BranchList> => {
    const input = validateInput(ZListBranchesInput, rawInput, 'branch listing');
    await authorizeCreate(deps.authorization, principal);
    const repo = deps.providers.resolve(input.repo);
    const auth = await gitAuthFor(deps, { ownerId: principal.userId, tenantId: principal.tenantId }, repo);
    return deps.providers.branches(repo, auth);
  };
