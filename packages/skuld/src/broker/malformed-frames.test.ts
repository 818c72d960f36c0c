/**
 * Fuzz: 10,000 generated frames that are not valid client frames (random text, arbitrary JSON,
 * near-misses of every frame type) each get an `error` `bad_request`, change nothing, and the
 * connection stays usable.
 */
import { ZClientFrame } from '@volundr/contracts/chat';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test/broker-harness';
import { connectClient } from '../test/test-client';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const FRAMES = 10_000;

const nearMiss = fc.record(
  {
    type: fc.constantFrom(
      'user_message',
      'interrupt',
      'permission_response',
      'set_model',
      'ping',
      'pong',
      'USER_MESSAGE',
      '',
    ),
    id: fc.oneof(fc.constant(''), fc.integer(), fc.string({ minLength: 201, maxLength: 240 }), fc.constant(null)),
    text: fc.oneof(fc.constant(''), fc.integer(), fc.boolean(), fc.constant(null)),
    requestId: fc.oneof(fc.constant(''), fc.integer(), fc.array(fc.string())),
    allow: fc.oneof(fc.constant('yes'), fc.integer(), fc.constant(null)),
    updatedInput: fc.oneof(fc.string(), fc.array(fc.integer()), fc.constant(null)),
    model: fc.oneof(fc.constant(''), fc.integer(), fc.string({ minLength: 201, maxLength: 210 })),
  },
  { requiredKeys: ['type'] },
);

const frames = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  nearMiss.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }).map((text) => `{"type":"user_message","id":"x","text":${JSON.stringify(text)}`),
);

const isInvalid = (text: string) => {
  try {
    return !ZClientFrame.safeParse(JSON.parse(text)).success;
  } catch {
    return true;
  }
};

it(`answers ${FRAMES} malformed frames with bad_request and keeps the connection`, { timeout: 60_000 }, async () => {
  const generated = fc.sample(frames.filter(isInvalid), { numRuns: FRAMES, seed: 20_240_601 });
  expect(generated).toHaveLength(FRAMES);
  const client = await connectClient(h.url, { token: await h.token() });
  const durableBefore = client.durable().length;
  const logBefore = h.skuld.hub.clientCount;
  for (const frame of generated) client.sendRaw(frame);
  const errors = await client.waitForCount(
    (event) => event.type === 'error' && event.code === 'bad_request',
    FRAMES,
    50_000,
  );
  expect(errors).toHaveLength(FRAMES);
  expect(errors.every((event) => event.ephemeral === true)).toBe(true);
  client.send({ type: 'ping' });
  await client.waitFor((event) => event.type === 'pong');
  // Nothing was logged or started: the conversation did not change.
  expect(client.durable()).toHaveLength(durableBefore);
  expect(h.transport.calls.turns).toHaveLength(0);
  expect(h.skuld.hub.clientCount).toBe(logBefore);
  // Binary frames too.
  client.sendRaw(Buffer.from([0, 1, 2, 3]));
  const binary = await client.waitFor((event) => event.type === 'error' && event.message.includes('binary'));
  expect(binary).toMatchObject({ code: 'bad_request' });
  await client.close();
});
