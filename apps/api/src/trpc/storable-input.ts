import { TRPCError } from '@trpc/server';
import { DomainError } from '@volundr/core/errors';
import { authedProcedure, middleware } from './trpc';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/** Where in `value` a string (or an object key) holds U+0000, or null. */
export function nulPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, [...path, index], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = nulPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * PostgreSQL cannot store U+0000 in text or jsonb (the query fails), so an input carrying one
 * could only end as a 500 somewhere deep. It is refused here, as a validation failure naming
 * the field, before any schema or use case sees it.
 */
export const storableInput = middleware(async ({ getRawInput, next }) => {
  const path = nulPath(await getRawInput());
  if (path) {
    const where = path.length ? path.join('.') : 'input';
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${where}: ${NUL_MESSAGE}`,
      cause: new DomainError('VALIDATION_FAILED', `${where}: ${NUL_MESSAGE}`, {
        issues: [{ path, message: NUL_MESSAGE }],
      }),
    });
  }
  return next();
});

/** Signed-in procedures whose input may reach the database. */
export const storableProcedure = authedProcedure.use(storableInput);
