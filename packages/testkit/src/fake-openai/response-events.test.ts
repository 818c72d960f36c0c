import { describe, expect, it } from 'vitest';
import { buildResponse } from './response-events';

const usage = { input_tokens: 100, cached_tokens: 30, cache_write_tokens: 5, output_tokens: 9, reasoning_tokens: 2 };

describe('buildResponse', () => {
  it('streams reasoning, a message, a function call and a custom tool call in order', () => {
    const built = buildResponse(
      {
        reasoning: 'think',
        text: 'Hello there, world.',
        exec: { cmd: 'ls -la' },
        applyPatch: '*** Begin Patch\n*** End Patch\n',
      },
      { requestNo: 2, model: 'gpt-x', usage },
    );
    const types = built.events.map((e) => e.event);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(built.events.map((e) => e.data.sequence_number)).toEqual(built.events.map((_, i) => i));

    const done = built.events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
    expect(done).toMatchObject([
      { type: 'reasoning', summary: [{ text: 'think' }] },
      { type: 'message', content: [{ type: 'output_text', text: 'Hello there, world.' }] },
      { type: 'function_call', name: 'exec_command', call_id: 'call_fake_2_exec', arguments: '{"cmd":"ls -la"}' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch\n' },
    ]);
    const text = built.events
      .filter((e) => e.event === 'response.output_text.delta')
      .map((e) => e.data.delta)
      .join('');
    expect(text).toBe('Hello there, world.');
    const args = built.events
      .filter((e) => e.event === 'response.function_call_arguments.delta')
      .map((e) => e.data.delta)
      .join('');
    expect(JSON.parse(args)).toEqual({ cmd: 'ls -la' });
    expect(built.events.at(-1)?.data).toMatchObject({
      response: {
        status: 'completed',
        usage: {
          input_tokens: 100,
          input_tokens_details: { cached_tokens: 30, cache_write_tokens: 5 },
          output_tokens: 9,
          output_tokens_details: { reasoning_tokens: 2 },
          total_tokens: 109,
        },
      },
    });
  });

  it('ends with response.failed for a failing step', () => {
    const built = buildResponse({ fail: 'boom' }, { requestNo: 1, model: 'm', usage });
    expect(built.events.at(-1)).toMatchObject({
      event: 'response.failed',
      data: { response: { status: 'failed', error: { message: 'boom' } } },
    });
  });
});
