import { router } from '../../trpc/trpc';
import { byId } from './by-id';
import { chain } from './chain';
import { remove } from './delete';
import { list } from './list';
import { reforge } from './reforge';
import { timeline } from './timeline';
import { update } from './update';

export const chroniclesRouter = router({ list, byId, update, delete: remove, timeline, reforge, chain });
