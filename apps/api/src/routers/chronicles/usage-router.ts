import { router } from '../../trpc/trpc';
import { tokens } from './session-tokens';
import { bySession } from './session-usage';

/** `usage.*`: token usage of sessions (the procedures live with chronicles, which own the data). */
export const usageRouter = router({ bySession, tokens });
