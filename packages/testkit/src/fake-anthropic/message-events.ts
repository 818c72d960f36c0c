/**
 * Turns one script step into what the real Messages API returns: the SSE event sequence of a
 * streamed message, or the `Message` object of a non-streamed one. Pure, so the shapes are
 * unit-tested without a server.
 */
import { type AnthropicStep, type AnthropicUsage, toolUsesOf } from './script';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface BuiltMessage {
  message: Record<string, unknown>;
  events: SseEvent[];
  /** How many events go out before the content starts (delay/hold happen after these). */
  preambleLength: number;
  /** How many events go out before a `hold` step stops sending. */
  holdAfter: number;
}

export function contentBlocksOf(step: AnthropicStep, requestNo: number): Block[] {
  const blocks: Block[] = [];
  if (step.thinking !== undefined) {
    blocks.push({ type: 'thinking', thinking: step.thinking, signature: `sig_fake_${requestNo}` });
  }
  if (step.text !== undefined) blocks.push({ type: 'text', text: step.text });
  toolUsesOf(step).forEach((t, i) => {
    blocks.push({ type: 'tool_use', id: t.id ?? `toolu_fake_${requestNo}_${i}`, name: t.name, input: t.input });
  });
  if (blocks.length === 0) blocks.push({ type: 'text', text: '' });
  return blocks;
}

/** Splits text at word boundaries into chunks of about `size` characters (at least one chunk). */
export function chunkText(text: string, size = 12): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [''];
  const chunks: string[] = [];
  let current = '';
  for (const w of words) {
    if (current.length > 0 && current.length + w.length > size) {
      chunks.push(current);
      current = '';
    }
    current += w;
  }
  chunks.push(current);
  return chunks;
}

/** Splits a JSON string into `parts` pieces, as the API streams tool input. */
export function chunkJson(json: string, parts = 3): string[] {
  const size = Math.max(1, Math.ceil(json.length / parts));
  const chunks: string[] = [];
  for (let i = 0; i < json.length; i += size) chunks.push(json.slice(i, i + size));
  return chunks.length > 0 ? chunks : [''];
}

export function buildMessage(
  step: AnthropicStep,
  opts: { requestNo: number; model: string; usage: AnthropicUsage },
): BuiltMessage {
  const id = `msg_fake_${opts.requestNo}`;
  const blocks = contentBlocksOf(step, opts.requestNo);
  const stopReason = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const { usage } = opts;
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };

  const events: SseEvent[] = [];
  const ev = (type: string, data: Record<string, unknown>) => events.push({ event: type, data: { type, ...data } });
  ev('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  const preambleLength = events.length;
  let holdAfter = -1;
  blocks.forEach((block, index) => {
    if (block.type === 'thinking') {
      ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const t of chunkText(block.thinking)) {
        ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: t } });
        if (holdAfter < 0) holdAfter = events.length;
      }
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'text') {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const t of chunkText(block.text)) {
        ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } });
        if (holdAfter < 0) holdAfter = events.length;
      }
    } else {
      ev('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const part of chunkJson(JSON.stringify(block.input))) {
        ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
        if (holdAfter < 0) holdAfter = events.length;
      }
    }
    ev('content_block_stop', { index });
  });
  ev('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  ev('message_stop', {});
  return { message, events, preambleLength, holdAfter: holdAfter < 0 ? preambleLength : holdAfter };
}

export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
