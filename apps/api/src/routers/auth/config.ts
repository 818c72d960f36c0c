import { ZAuthConfig } from '@volundr/contracts/auth';
import { z } from 'zod';
import { publicProcedure } from '../../trpc/trpc';

/** How to sign in here (issuer, client ids, scopes): public, so web and CLI can discover any IdP. */
export const config = publicProcedure
  .input(z.void())
  .output(ZAuthConfig)
  .query(({ ctx }) => ctx.services.authConfig);
