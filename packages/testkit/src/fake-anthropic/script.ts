/**
 * The script a test gives the fake Anthropic Messages API: one step per main-line request of
 * the CLI, consumed in order. Auxiliary requests (no tools: titles, quota probes, summaries of
 * bash output) never consume a step, so a script reads like the conversation a test expects.
 */

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface AnthropicToolUse {
  name: string;
  input: Record<string, unknown>;
  /** Defaults to `toolu_fake_<request>_<index>`. */
  id?: string;
}

export interface AnthropicStep {
  /** Thinking block streamed first (`thinking_delta` chunks, then a `signature_delta`). */
  thinking?: string;
  /** Text block, streamed as several `text_delta` chunks. */
  text?: string;
  /** One or more tool_use blocks after the text; `stop_reason` becomes `tool_use`. */
  toolUse?: AnthropicToolUse | AnthropicToolUse[];
  /** Overrides the server's default usage for this response. */
  usage?: Partial<AnthropicUsage>;
  /** Wait this long after `message_start` before streaming any content block. */
  delayMs?: number;
  /**
   * Stream `message_start` and the first chunk of the first block, then hold the response
   * open until `release()` is called or the client goes away (to interrupt or kill mid-turn).
   */
  hold?: boolean;
  /** Answer with an API error instead (use a 4xx: the CLI retries 429/5xx with backoff). */
  error?: { status: number; type: string; message: string };
}

export const defaultAnthropicUsage: AnthropicUsage = {
  input_tokens: 100,
  output_tokens: 20,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

export function toolUsesOf(step: AnthropicStep): AnthropicToolUse[] {
  if (!step.toolUse) return [];
  return Array.isArray(step.toolUse) ? step.toolUse : [step.toolUse];
}
