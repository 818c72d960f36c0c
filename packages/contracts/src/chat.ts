/**
 * Skuld chat protocol, version 1 (../shared/reference/chat-protocol.md). The names here are a
 * contract with every client: fields may be added, none renamed or removed.
 */
import { z } from 'zod';

export const CHAT_PROTOCOL_VERSION = 1;
/** Frames larger than this are refused (the connection is closed with 1009). */
export const MAX_CHAT_FRAME_BYTES = 1024 * 1024;

export const ZTransportName = z.enum(['claude-sdk', 'claude-subprocess', 'codex']);

// ---- client → broker -------------------------------------------------------------------

const id = z.string().min(1).max(200);

export const ZClientUserMessage = z.object({
  type: z.literal('user_message'),
  id,
  text: z.string().min(1).max(200_000),
});
export const ZClientInterrupt = z.object({ type: z.literal('interrupt') });
export const ZClientPermissionResponse = z.object({
  type: z.literal('permission_response'),
  requestId: id,
  allow: z.boolean(),
  updatedInput: z.record(z.string(), z.unknown()).optional(),
});
export const ZClientSetModel = z.object({ type: z.literal('set_model'), model: z.string().min(1).max(200) });
export const ZClientPing = z.object({ type: z.literal('ping') });

export const ZClientFrame = z.discriminatedUnion('type', [
  ZClientUserMessage,
  ZClientInterrupt,
  ZClientPermissionResponse,
  ZClientSetModel,
  ZClientPing,
]);
export type ClientFrame = z.infer<typeof ZClientFrame>;

// ---- broker → client -------------------------------------------------------------------

export const ZUsage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof ZUsage>;

const turnId = z.string().min(1);

export const ZChatEventBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    transport: ZTransportName,
    model: z.string(),
    capabilities: z.array(z.string()),
    cliSessionId: z.string().optional(),
  }),
  z.object({ type: z.literal('user_message'), id, text: z.string(), author: z.string() }),
  z.object({ type: z.literal('turn_started'), turnId, userMessageId: id }),
  z.object({ type: z.literal('text_delta'), turnId, text: z.string() }),
  z.object({ type: z.literal('thinking_delta'), turnId, text: z.string() }),
  z.object({
    type: z.literal('tool_started'),
    turnId,
    toolUseId: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('tool_finished'),
    turnId,
    toolUseId: z.string(),
    output: z.string(),
    isError: z.boolean(),
  }),
  z.object({
    type: z.literal('file_changed'),
    turnId,
    path: z.string(),
    action: z.enum(['created', 'modified', 'deleted']),
    insertions: z.number().int().nonnegative().optional(),
    deletions: z.number().int().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('permission_request'),
    turnId,
    requestId: z.string(),
    toolName: z.string(),
    input: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('turn_completed'),
    turnId,
    text: z.string(),
    usage: ZUsage,
    costUsd: z.number().nonnegative().optional(),
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('turn_failed'),
    turnId,
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('pong') }),
]);
export type ChatEventBody = z.infer<typeof ZChatEventBody>;
export type ChatEventType = ChatEventBody['type'];

export const ZChatEventMeta = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  /**
   * Set on events that are not part of the logged conversation: `ready` (sent to each client
   * after its replay, and to all after `set_model`) and replies to one connection (`pong`,
   * `error` `bad_request`...). They carry the `seq` of the last logged event, are never
   * replayed, and never advance a client's resume position.
   */
  ephemeral: z.literal(true).optional(),
});
/** An event as it travels on the wire and in the durable log. */
export const ZChatEvent = z.intersection(ZChatEventMeta, ZChatEventBody);
export type ChatEvent = ChatEventBody & { seq: number; ts: string; ephemeral?: true };

/** WebSocket close codes of the protocol. */
export const chatCloseCodes = {
  unauthenticated: 4401,
  forbidden: 4403,
  tooLarge: 1009,
} as const;
