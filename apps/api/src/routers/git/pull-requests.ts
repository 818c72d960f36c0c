import {
  ZCiStatus,
  ZCreatePullRequestInput,
  ZListPullRequestsInput,
  ZMergePullRequestInput,
  ZMergeResult,
  ZPullRequest,
  ZPullRequestRef,
} from '@volundr/contracts/git';
import { createPullRequest } from '@volundr/core/integrations/git/create-pull-request';
import { getPullRequest } from '@volundr/core/integrations/git/get-pull-request';
import { listPullRequests } from '@volundr/core/integrations/git/list-pull-requests';
import { mergePullRequest } from '@volundr/core/integrations/git/merge-pull-request';
import { pullRequestCi } from '@volundr/core/integrations/git/pull-request-ci';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { gitDeps } from './deps';

/** Pull/merge requests of a session's branch, with the session owner's access. */
export const pullRequestsRouter = router({
  create: authedProcedure
    .input(ZCreatePullRequestInput)
    .output(ZPullRequest)
    .mutation(({ ctx, input }) => createPullRequest(gitDeps(ctx.services))(ctx.principal, input)),
  list: authedProcedure
    .input(ZListPullRequestsInput)
    .output(z.array(ZPullRequest))
    .query(({ ctx, input }) => listPullRequests(gitDeps(ctx.services))(ctx.principal, input)),
  get: authedProcedure
    .input(ZPullRequestRef)
    .output(ZPullRequest)
    .query(({ ctx, input }) => getPullRequest(gitDeps(ctx.services))(ctx.principal, input)),
  merge: authedProcedure
    .input(ZMergePullRequestInput)
    .output(ZMergeResult)
    .mutation(({ ctx, input }) => mergePullRequest(gitDeps(ctx.services))(ctx.principal, input)),
  ci: authedProcedure
    .input(ZPullRequestRef)
    .output(ZCiStatus)
    .query(({ ctx, input }) => pullRequestCi(gitDeps(ctx.services))(ctx.principal, input)),
});
