/** The fake Responses API over real HTTP: routing, validation, script order, errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { lastUserText, toolOutputsOf, ZResponsesRequest } from './request';
import { type FakeOpenAI, startFakeOpenAI } from './server';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers.
type Json = any;
const bodyOf = async (res: Response): Promise<Json> => res.json();

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const main = (
  stream: boolean,
  input: unknown[] = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] }],
) => ({
  model: 'gpt-test',
  stream,
  tools: [{ type: 'function', name: 'exec_command' }],
  input,
});
const post = (url: string, body: unknown) =>
  fetch(`${url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('startFakeOpenAI', () => {
  it('streams scripted responses in order and answers JSON when not streamed', async () => {
    fake = await startFakeOpenAI({ script: [{ text: 'hello' }, { exec: { cmd: 'ls' } }] });
    expect(fake.url).toMatch(/\/v1$/);
    const res = await post(fake.url, main(true));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(/^event: response.created\n/);
    expect(frames.at(-1)).toMatch(/^event: response.completed\n/);

    const answer = await bodyOf(await post(fake.url, main(false)));
    expect(answer.output).toMatchObject([{ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}' }]);
    expect((await post(fake.url, main(false))).status).toBe(400);
  });

  it('does not spend script steps on auxiliary requests and validates bodies', async () => {
    fake = await startFakeOpenAI({ script: [{ text: 'main' }] });
    const aux = await bodyOf(await post(fake.url, { model: 'm', input: 'title?', stream: false }));
    expect(aux.output[0].content[0].text).toBe('ok');
    const bad = await post(fake.url, { input: [] });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).error.message).toContain('model');
    expect((await fetch(`${fake.url}/models`)).status).toBe(200);
    expect(fake.requests.map((r) => r.kind)).toEqual(['auxiliary', 'unknown', 'models']);
  });

  it('answers a scripted HTTP error', async () => {
    fake = await startFakeOpenAI({ script: [{ error: { status: 400, message: 'too long' } }] });
    const res = await post(fake.url, main(true));
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.message).toBe('too long');
  });

  it('helps tests read tool outputs and the user text of a recorded body', () => {
    const body = ZResponsesRequest.parse(
      main(true, [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>x' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'do it' }] },
        { type: 'function_call_output', call_id: 'c1', output: 'done' },
      ]),
    );
    expect(lastUserText(body)).toBe('do it');
    expect(toolOutputsOf(body)).toEqual([{ type: 'function_call_output', call_id: 'c1', output: 'done' }]);
  });
});
