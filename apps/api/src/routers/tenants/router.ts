import { router } from '../../trpc/trpc';
import { byId } from './by-id';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { membersAdd } from './members-add';
import { membersList } from './members-list';
import { membersRemove } from './members-remove';
import { membersSetRole } from './members-set-role';
import { reprovision } from './reprovision';
import { update } from './update';

export const tenantsRouter = router({
  list,
  byId,
  create,
  update,
  delete: remove,
  reprovision,
  members: router({ list: membersList, add: membersAdd, setRole: membersSetRole, remove: membersRemove }),
});
