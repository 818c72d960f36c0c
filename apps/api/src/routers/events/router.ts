import { router } from '../../trpc/trpc';
import { health } from './health';

export const eventsRouter = router({ health });
