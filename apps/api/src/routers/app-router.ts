import { router } from '../trpc/trpc';
import { authRouter } from './auth/router';
import { systemRouter } from './system/router';

/** Every procedure of the API. Each area wires its procedures in its own `router.ts`. */
export const appRouter = router({
  auth: authRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
