import { router } from '../../trpc/trpc';
import { archive } from './archive';
import { archiveStopped } from './archive-stopped';
import { byId } from './by-id';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { onState } from './on-state';
import { openService } from './open-service';
import { reportActivity } from './report-activity';
import { restore } from './restore';
import { start } from './start';
import { stop } from './stop';
import { update } from './update';

export const sessionsRouter = router({
  create,
  start,
  stop,
  archive,
  restore,
  delete: remove,
  update,
  byId,
  list,
  archiveStopped,
  reportActivity,
  openService,
  onState,
});
