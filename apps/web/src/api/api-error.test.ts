import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { fieldErrors, toUiError } from './api-error';

const trpcError = (data: unknown, message = 'failed') =>
  TRPCClientError.from({ error: { code: -32600, message, data } } as never);

describe('toUiError', () => {
  it('reads the API error body with its validation issues', () => {
    const error = trpcError({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      apiError: {
        code: 'VALIDATION_FAILED',
        message: 'name: too long (and 1 more)',
        issues: [
          { path: ['name'], message: 'too long' },
          { path: ['source', 'repo'], message: 'a repository URL without spaces' },
        ],
        requestId: 'r-1',
      },
    });
    const ui = toUiError(error);
    expect(ui).toMatchObject({ code: 'VALIDATION_FAILED', requestId: 'r-1', procedureMissing: false });
    expect(fieldErrors(ui.issues)).toEqual({ name: 'too long', 'source.repo': 'a repository URL without spaces' });
  });

  it('recognizes a procedure the API does not have', () => {
    const error = trpcError({
      code: 'NOT_FOUND',
      httpStatus: 404,
      apiError: { code: 'NOT_FOUND', message: 'No procedure found on path "sessions.list"' },
    });
    expect(toUiError(error)).toMatchObject({ code: 'NOT_FOUND', procedureMissing: true });
    const notFound = trpcError({ apiError: { code: 'SESSION_NOT_FOUND', message: 'Session "x" does not exist' } });
    expect(toUiError(notFound).procedureMissing).toBe(false);
  });

  it('calls a failed fetch or a restarting API a network problem', () => {
    expect(toUiError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
    expect(toUiError(trpcError({ httpStatus: 503 })).code).toBe('NETWORK');
    expect(toUiError(new Error('boom'))).toMatchObject({ code: 'UNKNOWN', message: 'boom' });
  });

  it('keeps the first message per path and puts path-less issues under ""', () => {
    expect(
      fieldErrors([
        { path: [], message: 'nothing to update' },
        { path: ['resources', 'cpu'], message: 'first' },
        { path: ['resources', 'cpu'], message: 'second' },
        { path: ['items', 0], message: 'zero' },
      ]),
    ).toEqual({ '': 'nothing to update', 'resources.cpu': 'first', 'items.0': 'zero' });
  });
});
