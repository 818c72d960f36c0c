import { router } from '../../trpc/trpc';
import { byId } from './by-id';
import { list } from './list';
import { reprovision } from './reprovision';
import { suspend } from './suspend';
import { unsuspend } from './unsuspend';

export const usersRouter = router({ list, byId, suspend, unsuspend, reprovision });
