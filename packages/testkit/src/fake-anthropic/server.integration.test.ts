/** The fake Messages API over real HTTP: routing, validation, script order, hold/release. */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from './server';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers.
type Json = any;
const bodyOf = async (res: Response): Promise<Json> => res.json();

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const tools = [{ name: 'Write', input_schema: { type: 'object' } }];
const main = (stream: boolean, text = 'hi') => ({
  model: 'claude-test',
  max_tokens: 1000,
  stream,
  tools,
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
});
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Parses an SSE body into its data objects. */
async function sse(res: Response) {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) =>
      JSON.parse(
        frame
          .split('\n')
          .find((l) => l.startsWith('data: '))
          ?.slice(6) ?? 'null',
      ),
    );
}

describe('startFakeAnthropic', () => {
  it('answers main requests from the script in order, streamed or not, and records them', async () => {
    fake = await startFakeAnthropic({
      script: [{ text: 'first answer' }, { toolUse: { name: 'Write', input: { a: 1 } }, usage: { input_tokens: 7 } }],
    });
    const res = await post(`${fake.url}/v1/messages?beta=true`, main(true, 'one'));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = await sse(res);
    expect(events[0]).toMatchObject({ type: 'message_start', message: { model: 'claude-test' } });
    expect(events.at(-1)).toEqual({ type: 'message_stop' });

    const answer = await bodyOf(await post(`${fake.url}/v1/messages`, main(false, 'two')));
    expect(answer).toMatchObject({ type: 'message', stop_reason: 'tool_use', usage: { input_tokens: 7 } });
    expect(answer.content).toMatchObject([{ type: 'tool_use', name: 'Write', input: { a: 1 } }]);
    expect(fake.mainRequests().map((r) => r.stepIndex)).toEqual([0, 1]);

    const exhausted = await post(`${fake.url}/v1/messages`, main(false));
    expect(exhausted.status).toBe(400);
    expect((await bodyOf(exhausted)).error.message).toContain('script exhausted');
  });

  it('answers auxiliary requests without consuming the script', async () => {
    fake = await startFakeAnthropic({ script: [{ text: 'main' }], auxiliaryText: 'A title' });
    const aux = await post(`${fake.url}/v1/messages`, { ...main(false), tools: undefined, max_tokens: 50 });
    expect((await bodyOf(aux)).content).toEqual([{ type: 'text', text: 'A title' }]);
    const m = await bodyOf(await post(`${fake.url}/v1/messages`, main(false)));
    expect(m.content).toEqual([{ type: 'text', text: 'main' }]);
    expect(fake.requests.map((r) => r.kind)).toEqual(['auxiliary', 'main']);
  });

  it('serves the probe, count_tokens and model routes, and refuses bad input clearly', async () => {
    fake = await startFakeAnthropic();
    expect((await fetch(fake.url, { method: 'HEAD' })).status).toBe(200);
    const count = await post(`${fake.url}/v1/messages/count_tokens`, {
      model: 'm',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect((await bodyOf(count)).input_tokens).toBeGreaterThan(0);
    const models = await bodyOf(await fetch(`${fake.url}/v1/models`));
    expect(models.data.length).toBeGreaterThan(0);
    expect(await bodyOf(await fetch(`${fake.url}/v1/models/claude-x`))).toMatchObject({ id: 'claude-x' });

    const notJson = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    const missing = await post(`${fake.url}/v1/messages`, { model: 'm', messages: [] });
    expect(missing.status).toBe(400);
    expect((await bodyOf(missing)).error.message).toContain('max_tokens');
    expect((await fetch(`${fake.url}/v2/other`)).status).toBe(404);
  });

  it('holds a response after its first chunk until released', async () => {
    fake = await startFakeAnthropic({ script: [{ text: 'part one, part two', hold: true }] });
    const pending = post(`${fake.url}/v1/messages`, main(true)).then(sse);
    await fake.waitForHold();
    fake.release();
    const events = await pending;
    expect(events.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('ends held responses on close instead of hanging', async () => {
    fake = await startFakeAnthropic({ script: [{ text: 'never finished', hold: true }] });
    const pending = post(`${fake.url}/v1/messages`, main(true))
      .then((r) => r.text())
      .catch((e: Error) => e.message);
    await fake.waitForHold();
    await fake.close();
    fake = undefined;
    expect(typeof (await pending)).toBe('string');
  });
});
