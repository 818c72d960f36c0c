import { router } from '../../trpc/trpc';
import { list } from './list';

export const auditRouter = router({ list });
