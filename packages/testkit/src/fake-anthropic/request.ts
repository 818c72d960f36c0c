/**
 * What the fake accepts from the CLI on `POST /v1/messages`, validated so a malformed request
 * gets a clear 400 like the real API gives, plus helpers tests use to inspect recorded bodies.
 */
import { z } from 'zod';

const ZContentBlock = z.looseObject({ type: z.string() });

export const ZMessagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(
    z.looseObject({
      // Claude Code 2.1 also sends `role: "system"` messages (mid-conversation system beta).
      role: z.string(),
      content: z.union([z.string(), z.array(ZContentBlock)]),
    }),
  ),
  stream: z.boolean().optional(),
  system: z.union([z.string(), z.array(ZContentBlock)]).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
});
export type MessagesRequest = z.infer<typeof ZMessagesRequest>;

export const ZCountTokensRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.unknown()),
});

/** Main-line requests carry the agent's tool list; titles, quota checks and the like do not. */
export function isMainRequest(body: MessagesRequest): boolean {
  return Array.isArray(body.tools) && body.tools.length > 0;
}

export interface ToolResultBlock {
  tool_use_id: string;
  content: unknown;
  is_error?: boolean;
}

/** The tool_result blocks of the last user message (what the CLI reports after running a tool). */
export function toolResultsOf(body: MessagesRequest): ToolResultBlock[] {
  const last = lastUserMessage(body);
  if (!last || typeof last.content === 'string') return [];
  return last.content.filter((b): b is typeof b & ToolResultBlock => b.type === 'tool_result') as ToolResultBlock[];
}

/** The text the user typed in the last user message (system reminders excluded). */
export function lastUserText(body: MessagesRequest): string {
  const last = lastUserMessage(body);
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((b) => b.type === 'text' && typeof b.text === 'string' && !b.text.startsWith('<system-reminder>'))
    .map((b) => b.text as string)
    .join('');
}

function lastUserMessage(body: MessagesRequest) {
  return body.messages.findLast((m) => m.role === 'user');
}

/** A rough token count, enough for `count_tokens` answers to look plausible. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value).length / 4));
}
