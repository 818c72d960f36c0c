import { router } from '../../trpc/trpc';
import { branches } from './branches';
import { providers } from './providers';
import { pullRequestsRouter } from './pull-requests';
import { validate } from './validate';

export const gitRouter = router({ providers, validate, branches, pullRequests: pullRequestsRouter });
