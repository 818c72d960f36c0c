/**
 * The boundary between the broker and one AI CLI. A transport turns user messages into CLI
 * input and CLI output into chat-protocol events (packages/contracts/src/chat.ts), minus the
 * fields the broker owns (`seq`, `ts`). It never throws into the broker: failures become
 * `turn_failed` / `error` events.
 */
import type { ChatEventBody } from '@volundr/contracts/chat';
import type { Logger } from '@volundr/core/shared/ports/logger';

export type TransportName = 'claude-sdk' | 'claude-subprocess' | 'codex';

export interface TurnRequest {
  turnId: string;
  userMessageId: string;
  text: string;
}

export interface TransportEvents {
  /** Every normalized event, in order. Must include exactly one turn_completed/turn_failed per turn. */
  emit(event: ChatEventBody): void;
}

export interface Transport {
  readonly name: TransportName;
  /** Capabilities announced in the `ready` event (e.g. `interrupt`, `set_model`, `permission_requests`). */
  readonly capabilities: readonly string[];
  /** The CLI's own session/thread id once known (used for resume). */
  readonly cliSessionId: string | undefined;
  readonly model: string;
  /** Check the CLI can be started (binary present, workspace exists). Used by /readyz. */
  check(): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Run one turn. Resolves when the turn has ended (its terminal event was emitted). */
  runTurn(turn: TurnRequest, events: TransportEvents): Promise<void>;
  /** Stop the running turn, if any (it ends with turn_failed code `interrupted` or turn_completed). */
  interrupt(): Promise<void>;
  answerPermission(requestId: string, allow: boolean, updatedInput?: Record<string, unknown>): Promise<void>;
  setModel(model: string): Promise<void>;
  /** Ask the CLI for a short JSON summary of the session for the final report, within `timeoutMs`. */
  summarize?(timeoutMs: number): Promise<string | null>;
  /** Stop the CLI process(es). */
  close(): Promise<void>;
}

export interface TransportOptions {
  workspaceDir: string;
  model: string;
  /** Environment for the CLI process (model API variables, HOME...). */
  env: Record<string, string>;
  /** Path of the CLI binary (`claude` or `codex`). */
  binary: string;
  systemPrompt?: string;
  /** A CLI session/thread id to resume (the broker persists it across restarts). */
  resumeId?: string;
  /** Called when the CLI's session id becomes known, so the broker can persist it. */
  onCliSessionId?: (id: string) => void;
  /** Structured logger (pino satisfies it); silent when absent. */
  logger?: Logger;
  /** Extra CLI arguments placed before the prompt (e.g. codex `-c key=value` overrides). */
  extraArgs?: string[];
  /** claude-subprocess: tools allowed without a prompt (`--allowedTools`); a default list otherwise. */
  allowedTools?: string[];
  /** codex: sandbox mode (`-s`), `workspace-write` by default. */
  sandbox?: 'read-only' | 'workspace-write' | 'danger-full-access';
  /** codex: USD per million tokens by model, to compute `costUsd` (omitted for unknown models). */
  prices?: Record<string, { inputPerMTok: number; cachedInputPerMTok?: number; outputPerMTok: number }>;
}
