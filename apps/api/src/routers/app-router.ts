import { router } from '../trpc/trpc';
import { authRouter } from './auth/router';
import { me } from './me/me';
import { systemRouter } from './system/router';
import { tokensRouter } from './tokens/router';

/** Every procedure of the API. Each area wires its procedures in its own `router.ts`. */
export const appRouter = router({
  auth: authRouter,
  me,
  system: systemRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
