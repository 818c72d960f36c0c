/**
 * Claude Code stream-json output → chat-protocol events, one stdout line at a time. Shared by
 * the claude-sdk and claude-subprocess transports. No I/O: the transport feeds lines, tells it
 * when a turn begins, when an interrupt was asked for and when a new process started, and acts
 * on the signals it returns (session id, permission prompts, control responses, turn end).
 *
 * Rules (docs/transports.md has the full table):
 * - text comes from `text_delta` stream events of the main thread; `assistant` lines repeat
 *   it block by block and are used only for messages that were not streamed;
 * - the turn's `text` is the concatenation of the `text_delta`s sent, with a blank line between
 *   text blocks (so a tool-using turn reads as paragraphs), never `result.result`;
 * - `system/init` repeats every turn: only its session id and model are kept;
 * - `total_cost_usd` is cumulative per process: the turn's cost is the difference.
 */
import type { ChatEventBody, Usage } from '@volundr/contracts/chat';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import type { z } from 'zod';
import { fileChangesOf } from './claude-file-changes';
import {
  ZAssistantLine,
  ZCanUseToolRequest,
  ZContentBlockDelta,
  ZContentBlockStart,
  ZControlRequestLine,
  ZControlResponseLine,
  ZMessageStart,
  ZResultLine,
  ZStreamEventLine,
  ZSystemLine,
  ZTextBlock,
  ZThinkingBlock,
  ZToolResultBlock,
  ZToolUseBlock,
  ZUserLine,
} from './claude-lines';

export interface PermissionPrompt {
  requestId: string;
  toolName: string;
  input: Record<string, unknown>;
}

export interface ClaudeLineOutcome {
  /** Protocol events to emit, in order. */
  events: ChatEventBody[];
  /** The CLI session id, when this line carried one. */
  sessionId?: string;
  /** The model the CLI resolved (from `system/init`). */
  model?: string;
  /** The `result` line arrived: the turn is over and `events` holds its terminal event. */
  turnEnded?: boolean;
  /** A `can_use_tool` control request: the host must answer it. */
  permission?: PermissionPrompt;
  /** Any other CLI → host control request: the host answers it with an error. */
  unsupportedControl?: { requestId: string; subtype: string };
  /** The CLI's answer to a host control request. */
  controlResponse?: { requestId: string; ok: boolean; error?: string };
}

export interface ClaudeNormalizerOptions {
  workspaceDir: string;
  logger?: Logger;
}

interface TurnState {
  id: string;
  text: string;
  interrupted: boolean;
}

export class ClaudeStreamNormalizer {
  private turn: TurnState | undefined;
  private readonly tools = new Map<string, { name: string; input: Record<string, unknown> }>();
  /** Message ids seen as `message_start` stream events: their text was already streamed. */
  private readonly streamed = new Set<string>();
  private costBaseline = 0;
  private readonly logger: Logger;

  constructor(private readonly options: ClaudeNormalizerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  get currentTurnId(): string | undefined {
    return this.turn?.id;
  }

  beginTurn(turnId: string): void {
    this.turn = { id: turnId, text: '', interrupted: false };
    this.tools.clear();
    this.streamed.clear();
  }

  /** The host asked the CLI to stop: the turn's end is reported as `interrupted`. */
  markInterrupted(): void {
    if (this.turn) this.turn.interrupted = true;
  }

  /** A new CLI process started: its cumulative cost starts again from zero. */
  processStarted(): void {
    this.costBaseline = 0;
  }

  /**
   * The process went away with the turn still open: end it. `transport_exited` unless an
   * interrupt was asked for, in which case the kill was the interrupt.
   */
  abortTurn(message: string): ChatEventBody[] {
    const turn = this.turn;
    if (!turn) return [];
    this.turn = undefined;
    const code = turn.interrupted ? 'interrupted' : 'transport_exited';
    return [{ type: 'turn_failed', turnId: turn.id, error: { code, message } }];
  }

  push(line: string): ClaudeLineOutcome {
    const trimmed = line.trim();
    if (trimmed.length === 0) return { events: [] };
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return this.malformed(`claude printed a line that is not JSON: ${clip(trimmed)}`);
    }
    if (!value || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
      return this.malformed(`claude printed JSON without a "type": ${clip(trimmed)}`);
    }
    const type = (value as { type: string }).type;
    switch (type) {
      case 'system':
        return this.parse(ZSystemLine, value, type, (l) => this.onSystem(l));
      case 'stream_event':
        return this.parse(ZStreamEventLine, value, type, (l) => this.onStreamEvent(l));
      case 'assistant':
        return this.parse(ZAssistantLine, value, type, (l) => this.onAssistant(l));
      case 'user':
        return this.parse(ZUserLine, value, type, (l) => this.onUser(l));
      case 'result':
        return this.parse(ZResultLine, value, type, (l) => this.onResult(l));
      case 'control_request':
        return this.parse(ZControlRequestLine, value, type, (l) => this.onControlRequest(l));
      case 'control_response':
        return this.parse(ZControlResponseLine, value, type, (l) => ({
          events: [],
          controlResponse: {
            requestId: l.response.request_id,
            ok: l.response.subtype === 'success',
            ...(l.response.error ? { error: l.response.error } : {}),
          },
        }));
      default:
        this.logger.debug({ type }, 'claude line of unknown type ignored');
        return { events: [] };
    }
  }

  private parse<S extends z.ZodType>(
    schema: S,
    value: unknown,
    type: string,
    then: (line: z.infer<S>) => ClaudeLineOutcome,
  ): ClaudeLineOutcome {
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      return this.malformed(
        `claude printed a malformed "${type}" line (${issue?.path.join('.') || 'line'}: ${issue?.message})`,
      );
    }
    return then(r.data);
  }

  private malformed(message: string): ClaudeLineOutcome {
    return { events: [{ type: 'error', code: 'cli_output_malformed', message }] };
  }

  private onSystem(l: z.infer<typeof ZSystemLine>): ClaudeLineOutcome {
    if (l.subtype !== 'init') return { events: [] };
    return {
      events: [],
      ...(l.session_id ? { sessionId: l.session_id } : {}),
      ...(l.model ? { model: l.model } : {}),
    };
  }

  private onStreamEvent(l: z.infer<typeof ZStreamEventLine>): ClaudeLineOutcome {
    const turn = this.turn;
    // Sub-agent streams (Task tool) are not the answer the user reads.
    if (!turn || l.parent_tool_use_id) return { events: [] };
    const e = l.event;
    if (e.type === 'message_start') {
      const m = ZMessageStart.safeParse(e);
      if (m.success) this.streamed.add(m.data.message.id);
      return { events: [] };
    }
    if (e.type === 'content_block_start') {
      const s = ZContentBlockStart.safeParse(e);
      if (s.success && s.data.content_block.type === 'text') return { events: this.paragraphBreak(turn) };
      return { events: [] };
    }
    if (e.type === 'content_block_delta') {
      const d = ZContentBlockDelta.safeParse(e);
      if (!d.success) return { events: [] };
      const { delta } = d.data;
      if (delta.type === 'text_delta' && delta.text) return { events: [this.textDelta(turn, delta.text)] };
      if (delta.type === 'thinking_delta' && delta.thinking) {
        return { events: [{ type: 'thinking_delta', turnId: turn.id, text: delta.thinking }] };
      }
    }
    return { events: [] };
  }

  private onAssistant(l: z.infer<typeof ZAssistantLine>): ClaudeLineOutcome {
    const turn = this.turn;
    if (!turn) return { events: [] };
    const events: ChatEventBody[] = [];
    const alreadyStreamed = l.message.id !== undefined && this.streamed.has(l.message.id);
    for (const block of l.message.content) {
      const tool = ZToolUseBlock.safeParse(block);
      if (tool.success) {
        const { id, name, input } = tool.data;
        this.tools.set(id, { name, input });
        events.push({ type: 'tool_started', turnId: turn.id, toolUseId: id, name, input });
        continue;
      }
      if (alreadyStreamed || l.parent_tool_use_id) continue;
      const text = ZTextBlock.safeParse(block);
      if (text.success && text.data.text) {
        events.push(...this.paragraphBreak(turn), this.textDelta(turn, text.data.text));
        continue;
      }
      const thinking = ZThinkingBlock.safeParse(block);
      if (thinking.success && thinking.data.thinking) {
        events.push({ type: 'thinking_delta', turnId: turn.id, text: thinking.data.thinking });
      }
    }
    return { events };
  }

  private onUser(l: z.infer<typeof ZUserLine>): ClaudeLineOutcome {
    const turn = this.turn;
    // String content: echoes and local command output ("Set model to …"), nothing to show.
    if (!turn || typeof l.message.content === 'string') return { events: [] };
    const events: ChatEventBody[] = [];
    for (const block of l.message.content) {
      const r = ZToolResultBlock.safeParse(block);
      if (!r.success) continue;
      const { tool_use_id: toolUseId, is_error: isError = false } = r.data;
      events.push({ type: 'tool_finished', turnId: turn.id, toolUseId, output: resultText(r.data.content), isError });
      const tool = this.tools.get(toolUseId);
      if (tool && !isError) {
        for (const change of fileChangesOf(tool, l.tool_use_result, this.options.workspaceDir)) {
          events.push({ type: 'file_changed', turnId: turn.id, ...change });
        }
      }
    }
    return { events };
  }

  private onResult(l: z.infer<typeof ZResultLine>): ClaudeLineOutcome {
    const turn = this.turn;
    // `--resume` of a session this HOME does not have: the id is useless from now on.
    const lost = l.is_error && (l.errors ?? []).some((e) => e.includes('No conversation found'));
    const sessionId = l.session_id && !lost ? { sessionId: l.session_id } : {};
    const total = l.total_cost_usd;
    const costUsd = total === undefined ? undefined : Math.max(0, total - this.costBaseline);
    if (total !== undefined) this.costBaseline = total;
    if (!turn) {
      this.logger.debug({ subtype: l.subtype }, 'claude result outside a turn ignored');
      return { events: [], ...sessionId };
    }
    this.turn = undefined;
    let event: ChatEventBody;
    if (l.subtype === 'success' && !l.is_error) {
      event = {
        type: 'turn_completed',
        turnId: turn.id,
        text: turn.text,
        usage: usageOf(l.usage),
        ...(costUsd !== undefined ? { costUsd } : {}),
        durationMs: l.duration_ms ?? 0,
      };
    } else if (lost) {
      const message = `claude cannot resume its session (${clip(l.errors?.join('; ') ?? '')}); the next message starts a new one`;
      event = { type: 'turn_failed', turnId: turn.id, error: { code: 'cli_session_lost', message } };
    } else if (turn.interrupted) {
      event = { type: 'turn_failed', turnId: turn.id, error: { code: 'interrupted', message: 'interrupted' } };
    } else {
      const detail = l.result || l.errors?.join('; ') || 'no detail';
      event = {
        type: 'turn_failed',
        turnId: turn.id,
        error: { code: 'cli_error', message: `claude ended the turn with ${l.subtype}: ${clip(detail)}` },
      };
    }
    return { events: [event], turnEnded: true, ...sessionId };
  }

  private onControlRequest(l: z.infer<typeof ZControlRequestLine>): ClaudeLineOutcome {
    if (l.request.subtype !== 'can_use_tool') {
      return { events: [], unsupportedControl: { requestId: l.request_id, subtype: l.request.subtype } };
    }
    const r = ZCanUseToolRequest.safeParse(l.request);
    if (!r.success) {
      return {
        ...this.malformed(`claude sent a malformed can_use_tool request (${r.error.issues[0]?.message})`),
        unsupportedControl: { requestId: l.request_id, subtype: l.request.subtype },
      };
    }
    const permission = { requestId: l.request_id, toolName: r.data.tool_name, input: r.data.input };
    const events: ChatEventBody[] = this.turn
      ? [{ type: 'permission_request', turnId: this.turn.id, ...permission }]
      : [];
    return { events, permission };
  }

  private paragraphBreak(turn: TurnState): ChatEventBody[] {
    if (turn.text.length === 0 || turn.text.endsWith('\n\n')) return [];
    const sep = turn.text.endsWith('\n') ? '\n' : '\n\n';
    return [this.textDelta(turn, sep)];
  }

  private textDelta(turn: TurnState, text: string): ChatEventBody {
    turn.text += text;
    return { type: 'text_delta', turnId: turn.id, text };
  }
}

function usageOf(u: z.infer<typeof ZResultLine>['usage']): Usage {
  return {
    inputTokens: u?.input_tokens ?? 0,
    outputTokens: u?.output_tokens ?? 0,
    cacheReadTokens: u?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u?.cache_creation_input_tokens ?? 0,
  };
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (b && typeof b === 'object' && 'text' in b && typeof b.text === 'string' ? b.text : ''))
    .filter(Boolean)
    .join('\n');
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
