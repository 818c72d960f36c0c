import { router } from '../../trpc/trpc';
import { byId } from './by-id';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { update } from './update';

export const presetsRouter = router({ list, byId, create, update, delete: remove });
