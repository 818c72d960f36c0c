import { router } from '../trpc/trpc';
import { systemRouter } from './system/router';

/** Every procedure of the API. Each area wires its procedures in its own `router.ts`. */
export const appRouter = router({
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
