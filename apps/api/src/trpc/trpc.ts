import { initTRPC, TRPCError } from '@trpc/server';
import { DomainError } from '@volundr/core/errors';
import type { Context } from './context';
import { mapDomainError, toApiError } from './errors';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const apiError = toApiError(error, ctx?.requestId);
    return { ...shape, message: apiError.message, data: { ...shape.data, stack: undefined, apiError } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Maps domain errors once and logs what is not one (a 500 is always a bug). */
const errors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const error = result.error;
    if (error.cause instanceof DomainError) {
      try {
        mapDomainError(error.cause);
      } catch (mapped) {
        return { ...result, error: mapped as TRPCError };
      }
    }
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      ctx.logger.error({ err: error.cause ?? error, path }, 'procedure failed');
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(errors);

/** Procedures that need to know who is asking; authorization is then asked by each use case. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Sign in first: send a bearer token (OIDC access token or personal access token).',
      cause: new DomainError('UNAUTHENTICATED', 'No credentials were presented'),
    });
  }
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
