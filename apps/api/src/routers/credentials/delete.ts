import { ZCredentialNameInput, ZDeletedCredential } from '@volundr/contracts/credentials';
import { deleteCredential } from '@volundr/core/credentials/delete-credential';
import { authedProcedure } from '../../trpc/trpc';
import { credentialDeps } from './deps';

/** Deletes one of the caller's credentials (value and metadata). */
export const remove = authedProcedure
  .input(ZCredentialNameInput)
  .output(ZDeletedCredential)
  .mutation(({ ctx, input }) => deleteCredential(credentialDeps(ctx.services))(ctx.principal, input.name));
