import { initTRPC } from '@trpc/server';
import { ZSessionPage } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { syncOutput } from './sync-output';

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
