import { ZCredential, ZListCredentialsInput } from '@volundr/contracts/credentials';
import { listCredentials } from '@volundr/core/credentials/list-credentials';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';
import { credentialDeps } from './deps';

/** The caller's credentials: name, type, keys, metadata, timestamps — never a value. */
export const list = authedProcedure
  .input(ZListCredentialsInput)
  .output(z.array(ZCredential))
  .query(({ ctx, input }) => listCredentials(credentialDeps(ctx.services))(ctx.principal, input));
