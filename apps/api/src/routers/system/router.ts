import { router } from '../../trpc/trpc';
import { info } from './info';

export const systemRouter = router({ info });
