import { router } from '../../trpc/trpc';
import { bySession } from './session-timeline';

/** `timeline.*`: a session's events (stored in its chronicle's timeline). */
export const timelineRouter = router({ bySession });
