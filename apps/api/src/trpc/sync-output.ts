import type { z } from 'zod';

/**
 * An output schema that tRPC validates on zod's synchronous path. tRPC calls `parseAsync` when
 * a schema has one, and zod's asynchronous parse cannot use its compiled object parser (it must
 * allow async refinements), which doubles the cost of validating a page of 50 sessions. Output
 * schemas have no async refinements, so `parse` is the same check, faster. Types and the OpenAPI
 * document see the schema itself (everything but `parseAsync` is the schema's own).
 */
export function syncOutput<T extends z.ZodType>(schema: T): T {
  return Object.create(schema, { parseAsync: { value: undefined } }) as T;
}
