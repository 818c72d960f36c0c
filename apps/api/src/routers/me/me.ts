import { ZMembership, ZUser } from '@volundr/contracts/identity';
import { ZPrincipal } from '@volundr/contracts/principal';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';

export const ZMe = z.object({ principal: ZPrincipal, user: ZUser.nullable(), memberships: z.array(ZMembership) });

/** Who the caller is: the principal from the token, their user record and tenant memberships. */
export const me = authedProcedure
  .input(z.void())
  .output(ZMe)
  .query(async ({ ctx }) => {
    const { users, tenants } = ctx.services.accounts;
    const [user, memberships] = await Promise.all([
      users.byId(ctx.principal.userId),
      tenants.membershipsOf(ctx.principal.userId),
    ]);
    return { principal: ctx.principal, user, memberships };
  });
