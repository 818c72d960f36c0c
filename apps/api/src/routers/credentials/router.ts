import { router } from '../../trpc/trpc';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';

export const credentialsRouter = router({ list, create, delete: remove });
