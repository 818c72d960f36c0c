/**
 * The script a test gives the fake OpenAI Responses API: one step per main-line request of
 * `codex exec`, consumed in order. A step with a tool call makes Codex run the tool and send its
 * output in the next request, which takes the next step.
 */

export interface OpenAIUsage {
  input_tokens: number;
  /** Reported as `input_tokens_details.cached_tokens` (Codex: `cached_input_tokens`). */
  cached_tokens: number;
  /** Reported as `input_tokens_details.cache_write_tokens` (Codex: `cache_write_input_tokens`). */
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

export interface OpenAIFunctionCall {
  name: string;
  arguments: Record<string, unknown>;
  callId?: string;
}

export interface OpenAIStep {
  /** A reasoning item with this summary text, streamed first. */
  reasoning?: string;
  /** An assistant message, streamed as several `response.output_text.delta` chunks. */
  text?: string;
  /** Codex's shell tool: a `function_call` to `exec_command` with `{ cmd, workdir? }`. */
  exec?: { cmd: string; workdir?: string; callId?: string };
  /** Codex's freeform `apply_patch` tool: a `custom_tool_call` whose input is the patch text. */
  applyPatch?: string | { patch: string; callId?: string };
  /** Any other function call. */
  functionCall?: OpenAIFunctionCall;
  usage?: Partial<OpenAIUsage>;
  /** Wait this long after `response.created` before streaming output items. */
  delayMs?: number;
  /** Stream up to the first text chunk, then hold until `release()` or the client goes away. */
  hold?: boolean;
  /** Answer with an HTTP error (4xx: Codex retries 429/5xx). */
  error?: { status: number; message: string; code?: string };
  /** Stream a `response.failed` event with this message instead of completing. */
  fail?: string;
}

export const defaultOpenAIUsage: OpenAIUsage = {
  input_tokens: 100,
  cached_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 20,
  reasoning_tokens: 0,
};
