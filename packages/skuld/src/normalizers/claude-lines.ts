/**
 * Zod schemas of the Claude Code stream-json lines the broker understands
 * (../shared/reference/cli-protocols.md §1.3–1.5). Loose on purpose: the CLI adds fields in
 * every release, and only the fields read here must have the stated shape.
 */
import { z } from 'zod';

const ZRecord = z.record(z.string(), z.unknown());

export const ZClaudeContentBlock = z.looseObject({ type: z.string() });

export const ZTextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
export const ZThinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
export const ZToolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: ZRecord,
});
export const ZToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(ZClaudeContentBlock)]).optional(),
  is_error: z.boolean().optional(),
});

const parent = z.string().nullable().optional();

export const ZSystemLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  session_id: z.string().optional(),
  model: z.string().optional(),
});

export const ZStreamEventLine = z.looseObject({
  type: z.literal('stream_event'),
  event: z.looseObject({ type: z.string() }),
  parent_tool_use_id: parent,
});

export const ZAssistantLine = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ id: z.string().optional(), content: z.array(ZClaudeContentBlock) }),
  parent_tool_use_id: parent,
});

export const ZUserLine = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(ZClaudeContentBlock)]) }),
  parent_tool_use_id: parent,
  tool_use_result: z.unknown().optional(),
});

const count = z.number().int().nonnegative().optional();

export const ZResultLine = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  session_id: z.string().optional(),
  result: z.string().nullable().optional(),
  errors: z.array(z.string()).nullable().optional(),
  duration_ms: z.number().nonnegative().optional(),
  total_cost_usd: z.number().nonnegative().optional(),
  usage: z
    .looseObject({
      input_tokens: count,
      output_tokens: count,
      cache_read_input_tokens: count,
      cache_creation_input_tokens: count,
    })
    .optional(),
});

export const ZControlRequestLine = z.looseObject({
  type: z.literal('control_request'),
  request_id: z.string().min(1),
  request: z.looseObject({ subtype: z.string() }),
});

export const ZCanUseToolRequest = z.looseObject({
  subtype: z.literal('can_use_tool'),
  tool_name: z.string(),
  input: ZRecord,
  tool_use_id: z.string().optional(),
});

export const ZControlResponseLine = z.looseObject({
  type: z.literal('control_response'),
  response: z.looseObject({
    subtype: z.string(),
    request_id: z.string(),
    error: z.string().optional(),
  }),
});

/** Stream events (`--include-partial-messages`) the normalizer reads. */
export const ZMessageStart = z.looseObject({
  type: z.literal('message_start'),
  message: z.looseObject({ id: z.string() }),
});
export const ZContentBlockStart = z.looseObject({
  type: z.literal('content_block_start'),
  index: z.number(),
  content_block: ZClaudeContentBlock,
});
export const ZContentBlockDelta = z.looseObject({
  type: z.literal('content_block_delta'),
  index: z.number(),
  delta: z.looseObject({ type: z.string(), text: z.string().optional(), thinking: z.string().optional() }),
});
