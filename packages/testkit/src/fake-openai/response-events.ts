/**
 * Turns one script step into the Responses API's answer: the SSE sequence of a streamed
 * response (`response.created` … `response.completed`) or the final response object. Pure.
 */
import { chunkText, type SseEvent } from '../fake-anthropic/message-events';
import type { OpenAIStep, OpenAIUsage } from './script';

export interface BuiltResponse {
  response: Record<string, unknown>;
  events: SseEvent[];
  preambleLength: number;
  holdAfter: number;
}

type Item = Record<string, unknown> & { id: string; type: string };

function chunkBy(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks.length > 0 ? chunks : [''];
}

export function buildResponse(
  step: OpenAIStep,
  opts: { requestNo: number; model: string; usage: OpenAIUsage },
): BuiltResponse {
  const n = opts.requestNo;
  const id = `resp_fake_${n}`;
  const events: SseEvent[] = [];
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    events.push({ event: type, data: { type, sequence_number: seq++, ...data } });
  const base = { id, object: 'response', created_at: 1_767_225_600, model: opts.model };
  ev('response.created', { response: { ...base, status: 'in_progress', output: [] } });
  ev('response.in_progress', { response: { ...base, status: 'in_progress', output: [] } });
  const preambleLength = events.length;
  let holdAfter = -1;
  const markHold = () => {
    if (holdAfter < 0) holdAfter = events.length;
  };

  const output: Item[] = [];
  const add = (item: Item, stream: (outputIndex: number) => void) => {
    const outputIndex = output.length;
    ev('response.output_item.added', { output_index: outputIndex, item: { ...emptied(item), status: 'in_progress' } });
    stream(outputIndex);
    const done = { ...item, status: 'completed' };
    ev('response.output_item.done', { output_index: outputIndex, item: done });
    output.push(done);
  };

  if (step.reasoning !== undefined) {
    const text = step.reasoning;
    const item: Item = { id: `rs_fake_${n}`, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
    add(item, (output_index) => {
      const at = { item_id: item.id, output_index, summary_index: 0 };
      ev('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
      for (const delta of chunkText(text)) {
        ev('response.reasoning_summary_text.delta', { ...at, delta });
        markHold();
      }
      ev('response.reasoning_summary_text.done', { ...at, text });
      ev('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
    });
  }
  if (step.text !== undefined) {
    const text = step.text;
    const part = { type: 'output_text', text, annotations: [] };
    const item: Item = { id: `msg_fake_${n}`, type: 'message', role: 'assistant', content: [part] };
    add(item, (output_index) => {
      const at = { item_id: item.id, output_index, content_index: 0 };
      ev('response.content_part.added', { ...at, part: { ...part, text: '' } });
      for (const delta of chunkText(text)) {
        ev('response.output_text.delta', { ...at, delta });
        markHold();
      }
      ev('response.output_text.done', { ...at, text });
      ev('response.content_part.done', { ...at, part });
    });
  }
  const calls: { name: string; args: string; callId: string }[] = [];
  if (step.exec) {
    const { cmd, workdir } = step.exec;
    const args = JSON.stringify(workdir ? { cmd, workdir } : { cmd });
    calls.push({ name: 'exec_command', args, callId: step.exec.callId ?? `call_fake_${n}_exec` });
  }
  if (step.functionCall) {
    const f = step.functionCall;
    calls.push({ name: f.name, args: JSON.stringify(f.arguments), callId: f.callId ?? `call_fake_${n}_fn` });
  }
  for (const call of calls) {
    const item: Item = {
      id: `fc_fake_${n}_${output.length}`,
      type: 'function_call',
      call_id: call.callId,
      name: call.name,
      arguments: call.args,
    };
    add(item, (output_index) => {
      for (const delta of chunkBy(call.args, 3)) {
        ev('response.function_call_arguments.delta', { item_id: item.id, output_index, delta });
        markHold();
      }
      ev('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: call.args });
    });
  }
  if (step.applyPatch !== undefined) {
    const patch = typeof step.applyPatch === 'string' ? step.applyPatch : step.applyPatch.patch;
    const callId = (typeof step.applyPatch === 'string' ? undefined : step.applyPatch.callId) ?? `call_fake_${n}_patch`;
    const item: Item = {
      id: `ctc_fake_${n}_${output.length}`,
      type: 'custom_tool_call',
      call_id: callId,
      name: 'apply_patch',
      input: patch,
    };
    add(item, (output_index) => {
      for (const delta of chunkBy(patch, 3)) {
        ev('response.custom_tool_call_input.delta', { item_id: item.id, output_index, delta });
        markHold();
      }
      ev('response.custom_tool_call_input.done', { item_id: item.id, output_index, input: patch });
    });
  }

  const u = opts.usage;
  const usage = {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens, cache_write_tokens: u.cache_write_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
  const response = step.fail
    ? { ...base, status: 'failed', output, error: { code: 'server_error', message: step.fail }, usage }
    : { ...base, status: 'completed', output, usage };
  ev(step.fail ? 'response.failed' : 'response.completed', { response });
  return { response, events, preambleLength, holdAfter: holdAfter < 0 ? preambleLength : holdAfter };
}

/** The `output_item.added` form of an item: same identity, content not yet streamed. */
function emptied(item: Item): Item {
  switch (item.type) {
    case 'message':
      return { ...item, content: [] };
    case 'reasoning':
      return { ...item, summary: [] };
    case 'function_call':
      return { ...item, arguments: '' };
    case 'custom_tool_call':
      return { ...item, input: '' };
    default:
      return item;
  }
}
