/**
 * `codex exec --json` output → chat-protocol events, one stdout line at a time. No I/O.
 *
 * Facts it relies on (measured with Codex 0.171.0, docs/transports.md):
 * - there are no token deltas: each `agent_message` arrives whole and becomes one `text_delta`
 *   (a blank line separates several messages of one turn);
 * - `turn.completed.usage` is the thread's running total (a resumed thread continues from the
 *   previous process's total), so the turn's usage is the difference to the last total seen;
 * - top-level `error` lines ("Reconnecting... 1/5") are retry notices, not failures: a turn
 *   fails on `turn.failed`, or when the process ends without `turn.completed`.
 */
import type { ChatEventBody, Usage } from '@volundr/contracts/chat';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import type { z } from 'zod';
import {
  type CodexUsage,
  ZAgentMessageItem,
  ZCodexError,
  ZCommandItem,
  ZFileChangeItem,
  ZItemEvent,
  ZMcpToolCallItem,
  ZReasoningItem,
  ZThreadStarted,
  ZTurnCompleted,
  ZTurnFailed,
  ZWebSearchItem,
} from './codex-lines';
import { displayPath } from './workspace-path';

/** USD per million tokens. Codex's `input_tokens` include the cached ones. */
export interface CodexPrice {
  inputPerMTok: number;
  cachedInputPerMTok?: number;
  outputPerMTok: number;
}

export interface CodexLineOutcome {
  events: ChatEventBody[];
  threadId?: string;
  turnEnded?: boolean;
}

export interface CodexNormalizerOptions {
  workspaceDir: string;
  logger?: Logger;
  /** Milliseconds clock for `durationMs` (tests pass a fake). */
  now?: () => number;
  price?: CodexPrice;
}

interface TurnState {
  id: string;
  startedAt: number;
  text: string;
  interrupted: boolean;
  /** Item ids whose tool_started was sent. */
  started: Set<string>;
  lastError?: string;
}

type Totals = Required<
  Pick<CodexUsage, 'input_tokens' | 'cached_input_tokens' | 'cache_write_input_tokens' | 'output_tokens'>
>;
const zeroTotals: Totals = { input_tokens: 0, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0 };

export class CodexExecNormalizer {
  private turn: TurnState | undefined;
  private threadId: string | undefined;
  private totals: Totals = { ...zeroTotals };
  private price: CodexPrice | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly options: CodexNormalizerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.price = options.price;
  }

  get currentTurnId(): string | undefined {
    return this.turn?.id;
  }

  beginTurn(turnId: string): void {
    this.turn = { id: turnId, startedAt: this.now(), text: '', interrupted: false, started: new Set() };
  }

  markInterrupted(): void {
    if (this.turn) this.turn.interrupted = true;
  }

  setPrice(price: CodexPrice | undefined): void {
    this.price = price;
  }

  /** The process ended. If the turn is still open it failed; returns its terminal event. */
  processExited(exit: { code: number | null; signal: string | null; stderrTail?: string }): ChatEventBody[] {
    const turn = this.turn;
    if (!turn) return [];
    this.turn = undefined;
    if (turn.interrupted) {
      return [{ type: 'turn_failed', turnId: turn.id, error: { code: 'interrupted', message: 'interrupted' } }];
    }
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const detail = turn.lastError ?? errorLine(exit.stderrTail);
    // `resume` of a thread this CODEX_HOME has no rollout for: the id is useless from now on.
    if (detail?.includes('no rollout found for thread id')) {
      return [
        {
          type: 'turn_failed',
          turnId: turn.id,
          error: {
            code: 'cli_session_lost',
            message: `codex cannot resume its thread (${detail}); the next message starts a new one`,
          },
        },
      ];
    }
    return [
      {
        type: 'turn_failed',
        turnId: turn.id,
        error: {
          code: 'transport_exited',
          message: `codex ${how} before the turn completed${detail ? `: ${detail}` : ''}`,
        },
      },
    ];
  }

  push(line: string): CodexLineOutcome {
    const trimmed = line.trim();
    if (trimmed.length === 0) return { events: [] };
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return this.malformed(`codex printed a line that is not JSON: ${clip(trimmed)}`);
    }
    if (!value || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
      return this.malformed(`codex printed JSON without a "type": ${clip(trimmed)}`);
    }
    const type = (value as { type: string }).type;
    switch (type) {
      case 'thread.started':
        return this.parse(ZThreadStarted, value, type, (l) => {
          if (l.thread_id !== this.threadId) this.totals = { ...zeroTotals };
          this.threadId = l.thread_id;
          return { events: [], threadId: l.thread_id };
        });
      case 'turn.started':
        return { events: [] };
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        return this.parse(ZItemEvent, value, type, (l) => ({ events: this.onItem(l.type, l.item) }));
      case 'turn.completed':
        return this.parse(ZTurnCompleted, value, type, (l) => this.onTurnCompleted(l.usage));
      case 'turn.failed':
        return this.parse(ZTurnFailed, value, type, (l) => {
          const turn = this.turn;
          if (!turn) return { events: [] };
          this.turn = undefined;
          const code = turn.interrupted ? 'interrupted' : 'cli_error';
          return {
            events: [{ type: 'turn_failed', turnId: turn.id, error: { code, message: clip(l.error.message) } }],
            turnEnded: true,
          };
        });
      case 'error':
        return this.parse(ZCodexError, value, type, (l) => {
          // Retry notices and the like: remembered for the message if the turn then fails.
          if (this.turn) this.turn.lastError = clip(l.message);
          this.logger.debug({ message: l.message }, 'codex reported a non-fatal error');
          return { events: [] };
        });
      default:
        this.logger.debug({ type }, 'codex line of unknown type ignored');
        return { events: [] };
    }
  }

  private onItem(phase: 'item.started' | 'item.updated' | 'item.completed', item: z.infer<typeof ZItemEvent>['item']) {
    const turn = this.turn;
    if (!turn) return [];
    const completed = phase === 'item.completed';
    const events: ChatEventBody[] = [];
    const start = (name: string, input: Record<string, unknown>) => {
      if (turn.started.has(item.id)) return;
      turn.started.add(item.id);
      events.push({ type: 'tool_started', turnId: turn.id, toolUseId: item.id, name, input });
    };
    const finish = (output: string, isError: boolean) =>
      events.push({ type: 'tool_finished', turnId: turn.id, toolUseId: item.id, output, isError });

    switch (item.type) {
      case 'agent_message': {
        const m = ZAgentMessageItem.safeParse(item);
        if (completed && m.success && m.data.text) {
          const sep = turn.text.length > 0 ? '\n\n' : '';
          const text = sep + m.data.text;
          turn.text += text;
          events.push({ type: 'text_delta', turnId: turn.id, text });
        }
        break;
      }
      case 'reasoning': {
        const r = ZReasoningItem.safeParse(item);
        if (completed && r.success && r.data.text)
          events.push({ type: 'thinking_delta', turnId: turn.id, text: r.data.text });
        break;
      }
      case 'command_execution': {
        const c = ZCommandItem.safeParse(item);
        if (!c.success) return this.malformedItem(item.type, c.error);
        start('shell', { command: c.data.command });
        if (completed) {
          const ok = c.data.status === 'completed' && (c.data.exit_code ?? 0) === 0;
          finish(c.data.aggregated_output ?? '', !ok);
        }
        break;
      }
      case 'file_change': {
        const f = ZFileChangeItem.safeParse(item);
        if (!f.success) return this.malformedItem(item.type, f.error);
        const changes = f.data.changes.map((c) => ({
          path: displayPath(this.options.workspaceDir, c.path),
          kind: c.kind,
        }));
        start('apply_patch', { changes });
        if (completed) {
          const ok = f.data.status !== 'failed' && f.data.status !== 'declined';
          finish(changes.map((c) => `${c.kind} ${c.path}`).join('\n'), !ok);
          if (ok) {
            for (const c of changes) {
              const action = c.kind === 'add' ? 'created' : c.kind === 'delete' ? 'deleted' : 'modified';
              events.push({ type: 'file_changed', turnId: turn.id, path: c.path, action });
            }
          }
        }
        break;
      }
      case 'mcp_tool_call': {
        const m = ZMcpToolCallItem.safeParse(item);
        if (!m.success) return this.malformedItem(item.type, m.error);
        const args = m.data.arguments;
        const input = args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
        start(`mcp__${m.data.server}__${m.data.tool}`, input);
        if (completed) {
          const text = m.data.error?.message ?? (m.data.result?.content ?? []).map((c) => c.text ?? '').join('\n');
          finish(text, Boolean(m.data.error) || m.data.status === 'failed');
        }
        break;
      }
      case 'web_search': {
        const w = ZWebSearchItem.safeParse(item);
        start('web_search', { query: w.success ? (w.data.query ?? '') : '' });
        if (completed) finish('', false);
        break;
      }
      default:
        // todo_list, plan, collab_tool_call, error items…: informational.
        this.logger.debug({ itemType: item.type, phase }, 'codex item ignored');
    }
    return events;
  }

  private onTurnCompleted(u: CodexUsage): CodexLineOutcome {
    const now: Totals = {
      input_tokens: u.input_tokens,
      cached_input_tokens: u.cached_input_tokens ?? 0,
      cache_write_input_tokens: u.cache_write_input_tokens ?? 0,
      output_tokens: u.output_tokens,
    };
    const before = this.totals;
    this.totals = now;
    const turn = this.turn;
    if (!turn) return { events: [] };
    this.turn = undefined;
    const diff = (k: keyof Totals) => Math.max(0, now[k] - (now[k] >= before[k] ? before[k] : 0));
    const usage: Usage = {
      inputTokens: diff('input_tokens'),
      outputTokens: diff('output_tokens'),
      cacheReadTokens: diff('cached_input_tokens'),
      cacheWriteTokens: diff('cache_write_input_tokens'),
    };
    const costUsd = this.price ? costOf(usage, this.price) : undefined;
    return {
      events: [
        {
          type: 'turn_completed',
          turnId: turn.id,
          text: turn.text,
          usage,
          ...(costUsd !== undefined ? { costUsd } : {}),
          durationMs: Math.max(0, this.now() - turn.startedAt),
        },
      ],
      turnEnded: true,
    };
  }

  private parse<S extends z.ZodType>(
    schema: S,
    value: unknown,
    type: string,
    then: (line: z.infer<S>) => CodexLineOutcome,
  ): CodexLineOutcome {
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      return this.malformed(
        `codex printed a malformed "${type}" line (${issue?.path.join('.') || 'line'}: ${issue?.message})`,
      );
    }
    return then(r.data);
  }

  private malformed(message: string): CodexLineOutcome {
    return { events: [{ type: 'error', code: 'cli_output_malformed', message }] };
  }

  private malformedItem(type: string, error: z.ZodError): ChatEventBody[] {
    const issue = error.issues[0];
    return [
      {
        type: 'error',
        code: 'cli_output_malformed',
        message: `codex printed a malformed ${type} item (${issue?.path.join('.') || 'item'}: ${issue?.message})`,
      },
    ];
  }
}

/** Cost of one turn; cached input tokens are billed at the cached rate when one is given. */
export function costOf(usage: Usage, price: CodexPrice): number {
  const cached = Math.min(usage.cacheReadTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
  return (uncached * price.inputPerMTok + cached * cachedRate + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Codex prints `Error: …` and then a backtrace; the error line is the useful one. */
function errorLine(text: string | undefined): string | undefined {
  const lines = (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Reading additional input from stdin') && !l.startsWith('WARNING:'));
  const line = lines.find((l) => l.startsWith('Error:')) ?? lines.at(-1);
  return line ? clip(line) : undefined;
}
