import { ZCreateCredentialInput, ZCredential } from '@volundr/contracts/credentials';
import { createCredential } from '@volundr/core/credentials/create-credential';
import { authedProcedure } from '../../trpc/trpc';
import { credentialDeps } from './deps';

/** Stores a credential: the value goes to the secret backend; the answer is its metadata. */
export const create = authedProcedure
  .input(ZCreateCredentialInput)
  .output(ZCredential)
  .mutation(({ ctx, input }) => createCredential(credentialDeps(ctx.services))(ctx.principal, input));
