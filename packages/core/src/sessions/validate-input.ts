import type { z } from 'zod';
import { DomainError } from '../errors';

/**
 * Parses what a use case was given. The API validates too, but use cases are also called by
 * the CLI, jobs and tests; a bad input is always `VALIDATION_FAILED` with the field paths.
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
  throw new DomainError('VALIDATION_FAILED', `Invalid ${what}: ${summary}`, { issues });
}
