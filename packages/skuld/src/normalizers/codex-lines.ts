/**
 * Zod schemas of `codex exec --json` lines (Codex 0.171.0, ../shared/reference/cli-protocols.md
 * §2.3; shapes checked against live runs in docs/transports.md). Loose: Codex adds fields.
 */
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const ZCodexUsage = z.looseObject({
  input_tokens: count,
  cached_input_tokens: count.optional(),
  cache_write_input_tokens: count.optional(),
  output_tokens: count,
  reasoning_output_tokens: count.optional(),
});
export type CodexUsage = z.infer<typeof ZCodexUsage>;

export const ZCodexItem = z.looseObject({ id: z.string(), type: z.string() });

export const ZThreadStarted = z.looseObject({ type: z.literal('thread.started'), thread_id: z.string().min(1) });
export const ZItemEvent = z.looseObject({
  type: z.enum(['item.started', 'item.updated', 'item.completed']),
  item: ZCodexItem,
});
export const ZTurnCompleted = z.looseObject({ type: z.literal('turn.completed'), usage: ZCodexUsage });
export const ZTurnFailed = z.looseObject({
  type: z.literal('turn.failed'),
  error: z.looseObject({ message: z.string() }),
});
export const ZCodexError = z.looseObject({ type: z.literal('error'), message: z.string() });

const status = z.string().optional();

export const ZAgentMessageItem = z.looseObject({ type: z.literal('agent_message'), text: z.string() });
export const ZReasoningItem = z.looseObject({ type: z.literal('reasoning'), text: z.string() });
export const ZCommandItem = z.looseObject({
  type: z.literal('command_execution'),
  command: z.string(),
  aggregated_output: z.string().optional(),
  exit_code: z.number().int().nullable().optional(),
  status,
});
export const ZFileChangeItem = z.looseObject({
  type: z.literal('file_change'),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.enum(['add', 'delete', 'update']) })),
  status,
});
export const ZMcpToolCallItem = z.looseObject({
  type: z.literal('mcp_tool_call'),
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown().optional(),
  result: z
    .looseObject({ content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional() })
    .nullable()
    .optional(),
  error: z.looseObject({ message: z.string() }).nullable().optional(),
  status,
});
export const ZWebSearchItem = z.looseObject({ type: z.literal('web_search'), query: z.string().optional() });
