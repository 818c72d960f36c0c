import { PassThrough } from 'node:stream';
import type { ChatEvent } from '@volundr/contracts/chat';
import { describe, expect, it } from 'vitest';
import { createChatPrinter, toolSummary } from './chat-printer';

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
};
const meta = { seq: 1, ts: '2026-01-01T00:00:00.000Z' };

describe('chat printer', () => {
  it('streams text to one stream and notes to the other, ending the text line first', () => {
    const out = capture();
    const notes = capture();
    const printer = createChatPrinter(out.stream, notes.stream);
    const events: ChatEvent[] = [
      { ...meta, type: 'text_delta', turnId: 't', text: 'Hello' },
      { ...meta, type: 'tool_started', turnId: 't', toolUseId: 'u', name: 'Bash', input: { command: 'ls  -la\n/tmp' } },
      { ...meta, type: 'file_changed', turnId: 't', path: 'a.ts', action: 'modified', insertions: 3, deletions: 1 },
      { ...meta, type: 'tool_finished', turnId: 't', toolUseId: 'u', output: '\nboom\nmore', isError: true },
      { ...meta, type: 'text_delta', turnId: 't', text: '\n\n' },
      { ...meta, type: 'text_delta', turnId: 't', text: 'done\n' },
      {
        ...meta,
        type: 'turn_completed',
        turnId: 't',
        text: 'Hello done',
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0.0012,
        durationMs: 1500,
      },
    ];
    for (const e of events) printer.event(e);
    expect(out.text()).toBe('Hello\ndone\n');
    expect(notes.text()).toBe(
      '⏺ Bash(ls -la /tmp)\n  ✎ modified a.ts (+3 −1)\n  ✗ boom\n(15 tokens, $0.0012, 1.5 s)\n',
    );
  });

  it('summarises a tool by its command or file, else its input, within 100 characters', () => {
    expect(toolSummary('Write', { file_path: '/w/x.ts', content: 'long' })).toBe('Write(/w/x.ts)');
    expect(toolSummary('Custom', { a: 1 })).toBe('Custom({"a":1})');
    expect(toolSummary('Bash', { command: 'x'.repeat(300) })).toHaveLength('Bash()'.length + 100);
  });
});
