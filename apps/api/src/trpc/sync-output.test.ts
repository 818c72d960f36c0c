import { initTRPC } from '@trpc/server';
import { ZSessionPage } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pageOutput, syncOutput } from './sync-output';

describe('syncOutput', () => {
  it('is the same schema to the OpenAPI document and the same check', () => {
    expect(z.toJSONSchema(syncOutput(ZSessionPage), { io: 'output' })).toEqual(
      z.toJSONSchema(ZSessionPage, { io: 'output' }),
    );
    expect(syncOutput(ZSessionPage).safeParse({ items: [], nextCursor: null }).success).toBe(true);
    expect(syncOutput(ZSessionPage).safeParse({ items: [{}], nextCursor: null }).success).toBe(false);
  });

  it('tRPC validates the output with it (synchronously) and still refuses a bad one', async () => {
    const t = initTRPC.create();
    const schema = z.strictObject({ n: z.int() });
    let calls = 0;
    const checked = syncOutput(schema);
    const parse = checked.parse;
    const counted = (v: unknown) => {
      calls++;
      return parse(v);
    };
    Object.defineProperty(checked, 'parse', { value: counted });
    let value: unknown = { n: 1 };
    const router = t.router({ get: t.procedure.output(checked).query(() => value as { n: number }) });
    const caller = t.createCallerFactory(router)({});
    await expect(caller.get()).resolves.toEqual({ n: 1 });
    expect(calls).toBe(1);
    value = { n: 1, leaked: 'secret' };
    await expect(caller.get()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('pageOutput', () => {
  let calls = 0;
  const schema = z.strictObject({
    items: z.array(
      z.strictObject({
        n: z.int().refine(() => {
          calls++;
          return true;
        }),
      }),
    ),
    nextCursor: z.string().nullable(),
  });

  it('is the same schema to the OpenAPI document', () => {
    expect(z.toJSONSchema(pageOutput(ZSessionPage), { io: 'output' })).toEqual(
      z.toJSONSchema(ZSessionPage, { io: 'output' }),
    );
  });

  it('checks a frozen item once and hands out its frozen checked copy; others every time', () => {
    const output = pageOutput(schema);
    const frozen = Object.freeze({ n: 1 });
    calls = 0;
    const first = output.parse({ items: [frozen, { n: 2 }], nextCursor: null });
    const second = output.parse({ items: [frozen, { n: 2 }], nextCursor: 'c' });
    expect(first).toEqual({ items: [{ n: 1 }, { n: 2 }], nextCursor: null });
    expect(second.items[0]).toBe(first.items[0]);
    expect(Object.isFrozen(first.items[0])).toBe(true);
    expect(second.nextCursor).toBe('c');
    expect(calls).toBe(3);
  });

  it('refuses a bad item, frozen or not, and a bad rest of the page, through tRPC too', async () => {
    const output = pageOutput(schema);
    expect(() => output.parse({ items: [Object.freeze({ n: 1.5 })], nextCursor: null })).toThrow(/items\.0/);
    expect(() => output.parse({ items: [{ n: 1 }, { n: 'x' }], nextCursor: null })).toThrow(/items\.1/);
    expect(() => output.parse({ items: [], nextCursor: null, leaked: 1 })).toThrow();
    expect(() => output.parse(null)).toThrow();
    const t = initTRPC.create();
    const router = t.router({
      get: t.procedure.output(output).query(() => ({ items: [{ n: 1, leaked: 'secret' }], nextCursor: null })),
    });
    await expect(t.createCallerFactory(router)({}).get()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
