import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toApiError } from './errors';

describe('toApiError', () => {
  const zodError = z.strictObject({ n: z.int() }).safeParse({ n: 'x', secret: 1 }).error!;

  it('reports bad input as VALIDATION_FAILED with its field paths', () => {
    expect(toApiError(new TRPCError({ code: 'BAD_REQUEST', cause: zodError }), 'r-1')).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: ['n'] }, { path: [] }],
      requestId: 'r-1',
    });
  });

  it('reports an output that fails its schema as INTERNAL, without its issues', () => {
    const error = toApiError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: zodError }));
    expect(error).toEqual({ code: 'INTERNAL', message: 'Internal error; it has been logged with the request id.' });
  });
});
