import { z } from 'zod';
import { publicProcedure } from '../../trpc/trpc';

export const ZSystemInfo = z.object({
  name: z.literal('volundr'),
  version: z.string(),
  mode: z.enum(['local', 'production']),
});

/** Public facts about this installation (no secrets): what the web app and CLI show in "about". */
export const info = publicProcedure
  .input(z.void())
  .output(ZSystemInfo)
  .query(({ ctx }) => ({ name: 'volundr' as const, version: ctx.services.version, mode: ctx.services.config.mode }));
