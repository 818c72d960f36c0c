/** The SDK's chat client against the real broker (in-process): it rides a broker restart without gaps or duplicates. */
import type { ChatEvent } from '@volundr/contracts/chat';
import { type ChatClient, createChatClient, type WebSocketConstructor } from '@volundr/sdk/chat-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Harness, startHarness } from './test/broker-harness';

let h: Harness;
let client: ChatClient;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  client?.close();
  await h.close();
});

it('reconnects after a broker restart and resumes exactly where it was', async () => {
  const events: ChatEvent[] = [];
  const waiters = new Set<() => void>();
  const until = (check: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const run = () => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(run);
        resolve();
      };
      const timer = setTimeout(
        () => reject(new Error(`timed out; seqs ${events.map((e) => e.seq).join(',')}`)),
        10_000,
      );
      waiters.add(run);
      run();
    });
  client = createChatClient({
    url: h.url,
    token: () => h.token(),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
  });
  client.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter();
  });
  await client.opened();
  client.sendMessage('@deltas 20\nbefore');
  await until(() => events.some((e) => e.type === 'turn_completed'));
  await h.restart();
  await until(() => events.filter((e) => e.type === 'ready').length >= 2);
  client.sendMessage('after');
  await until(() => events.filter((e) => e.type === 'turn_completed').length === 2);
  const durable = events.filter((e) => !e.ephemeral).map((e) => e.seq);
  expect(durable).toEqual(durable.map((_, i) => i + 1));
  expect(client.lastSeq).toBe(durable.at(-1));
  const texts = events.flatMap((e) => (e.type === 'turn_completed' ? [e.text] : []));
  expect(texts).toEqual([`${'x'.repeat(20)}You said: before`, 'You said: after']);
});
