import { router } from '../../trpc/trpc';
import { submit } from './submit';

export const reportsRouter = router({ submit });
