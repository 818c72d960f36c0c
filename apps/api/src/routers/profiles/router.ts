import { router } from '../../trpc/trpc';
import { byName } from './by-name';
import { list } from './list';

export const profilesRouter = router({ list, byName });
