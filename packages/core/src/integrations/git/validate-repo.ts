import { type RepoValidation, type ValidateRepoInput, ZValidateRepoInput } from '@volundr/contracts/git';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../../authz/ports/authorization';
import { authorizeCreate } from '../../sessions/session-access';
import { validateInput } from '../../sessions/validate-input';
import { type GitCredentialDeps, gitAuthFor } from './git-auth';

/**
 * Whether a repository may back a session: on an allowed host and organisation, reachable with
 * the principal's access, and (when asked) whether the branch exists. Asked as "may create a
 * session" on the principal's tenant, since that is what it prepares.
 */
export const validateRepo =
  (deps: GitCredentialDeps & { authorization: Authorization }) =>
  async (principal: Principal, rawInput: ValidateRepoInput): Promise<RepoValidation> => {
    const input = validateInput(ZValidateRepoInput, rawInput, 'repository');
    await authorizeCreate(deps.authorization, principal);
    const repo = deps.providers.resolve(input.repo);
    const auth = await gitAuthFor(deps, { ownerId: principal.userId, tenantId: principal.tenantId }, repo);
    return deps.providers.validate(repo, input.branch, auth);
  };
