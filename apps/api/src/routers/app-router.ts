import { router } from '../trpc/trpc';
import { authRouter } from './auth/router';
import { chroniclesRouter } from './chronicles/router';
import { timelineRouter } from './chronicles/timeline-router';
import { usageRouter } from './chronicles/usage-router';
import { me } from './me/me';
import { reportsRouter } from './reports/router';
import { systemRouter } from './system/router';
import { tokensRouter } from './tokens/router';

/** Every procedure of the API. Each area wires its procedures in its own `router.ts`. */
export const appRouter = router({
  auth: authRouter,
  chronicles: chroniclesRouter,
  reports: reportsRouter,
  usage: usageRouter,
  timeline: timelineRouter,
  me,
  system: systemRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
