import { z } from 'zod';
import { freezeForJson } from '../http/frozen-json';

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

type PageSchema = z.ZodObject<{ items: z.ZodArray<z.ZodType> }>;

/**
 * `syncOutput` for a page (`{ items, ... }`) whose items are often the same frozen objects
 * request after request (a dashboard polling an unchanged page): a frozen item is checked
 * once, and its checked copy is frozen for `jsonText` to serialize once. Other items, and
 * the rest of the page, are checked every time.
 */
export function pageOutput<T extends PageSchema>(schema: T): T {
  const item = schema.shape.items.element;
  const rest = schema.omit({ items: true } as never);
  const checked = new WeakMap<object, unknown>();
  const checkItem = (value: unknown, index: number) => {
    const frozen = typeof value === 'object' && value !== null && Object.isFrozen(value);
    const known = frozen ? checked.get(value) : undefined;
    if (known !== undefined) return known;
    const result = item.safeParse(value);
    if (!result.success) throw new Error(`items.${index}: ${z.prettifyError(result.error)}`);
    if (!frozen) return result.data;
    const copy = freezeForJson(result.data as object);
    checked.set(value as object, copy);
    return copy;
  };
  const parse = (value: unknown) => {
    if (typeof value !== 'object' || value === null || !Array.isArray((value as { items?: unknown }).items))
      return schema.parse(value);
    const { items, ...others } = value as { items: unknown[] };
    return { items: items.map(checkItem), ...(rest.parse(others) as object) };
  };
  return Object.create(schema, { parseAsync: { value: undefined }, parse: { value: parse } }) as T;
}
