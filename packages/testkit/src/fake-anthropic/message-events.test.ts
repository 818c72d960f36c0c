import { describe, expect, it } from 'vitest';
import { buildMessage, chunkJson, chunkText, formatSse } from './message-events';

const usage = { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 2, cache_creation_input_tokens: 1 };

describe('buildMessage', () => {
  it('streams thinking, text and tool_use blocks in the Messages API event order', () => {
    const built = buildMessage(
      {
        thinking: 'hmm',
        text: 'Writing the file now.',
        toolUse: { name: 'Write', input: { file_path: '/a', content: 'x' } },
      },
      { requestNo: 3, model: 'claude-x', usage },
    );
    const types = built.events.map((e) => e.event);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(3);
    expect(types.filter((t) => t === 'content_block_stop')).toHaveLength(3);

    const deltas = built.events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta as Record<string, string>);
    expect(
      deltas
        .filter((d) => d.type === 'thinking_delta')
        .map((d) => d.thinking)
        .join(''),
    ).toBe('hmm');
    expect(
      deltas
        .filter((d) => d.type === 'text_delta')
        .map((d) => d.text)
        .join(''),
    ).toBe('Writing the file now.');
    const json = deltas.filter((d) => d.type === 'input_json_delta').map((d) => d.partial_json);
    expect(json.length).toBeGreaterThan(1);
    expect(JSON.parse(json.join(''))).toEqual({ file_path: '/a', content: 'x' });

    expect(built.events[0]?.data).toMatchObject({
      message: { id: 'msg_fake_3', model: 'claude-x', usage: { ...usage, output_tokens: 1 } },
    });
    expect(built.events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: 4 },
    });
    expect(built.message).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'thinking' }, { type: 'text' }, { type: 'tool_use', id: 'toolu_fake_3_0' }],
    });
  });

  it('holds after the first content chunk and ends a text-only turn with end_turn', () => {
    const built = buildMessage({ text: 'a b c d e f g h i j k l' }, { requestNo: 1, model: 'm', usage });
    expect(built.events[built.holdAfter - 1]?.data).toMatchObject({ delta: { type: 'text_delta' } });
    expect(built.events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });

  it('formats SSE frames with event and data lines', () => {
    expect(formatSse({ event: 'ping', data: { type: 'ping' } })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});

describe('chunking', () => {
  it('splits text at word boundaries without losing characters', () => {
    const text = 'The quick brown fox jumps over the lazy dog.\nNew line.';
    const chunks = chunkText(text, 10);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunkText('')).toEqual(['']);
  });

  it('splits JSON into the requested number of parts', () => {
    expect(chunkJson('{"a":1,"b":2}', 3)).toHaveLength(3);
    expect(chunkJson('{}', 3).join('')).toBe('{}');
  });
});
