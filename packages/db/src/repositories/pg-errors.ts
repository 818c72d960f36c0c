/**
 * PostgreSQL error details, the same on both drivers: postgres.js and PGlite errors carry the
 * SQLSTATE in `code` (and the constraint name in `constraint_name` / `constraint`); drizzle
 * wraps them in a DrizzleQueryError whose `cause` is the driver's error.
 */
interface PgErrorShape {
  code?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

function pgError(error: unknown): PgErrorShape | null {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const shape = current as PgErrorShape;
    if (typeof shape.code === 'string' && /^[0-9A-Z]{5}$/.test(shape.code)) return shape;
    current = shape.cause;
  }
  return null;
}

/** A unique_violation (23505), optionally of one named constraint or unique index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const shape = pgError(error);
  if (shape?.code !== '23505') return false;
  return constraint === undefined || (shape.constraint_name ?? shape.constraint) === constraint;
}
