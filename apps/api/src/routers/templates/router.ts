import { router } from '../../trpc/trpc';
import { byName } from './by-name';
import { list } from './list';

export const templatesRouter = router({ list, byName });
