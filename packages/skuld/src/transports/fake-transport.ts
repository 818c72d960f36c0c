/**
 * A scriptable in-process Transport: the test double of the transport port for broker tests
 * and benchmarks (selected with SKULD_TRANSPORT=fake, never by default). A script drives each
 * turn through a small context; the default script reads directives from the message text so a
 * test can drive a broker running in another process:
 *
 *   @sleep 2000              wait (an interrupt ends the wait and the turn)
 *   @deltas 100 [size]       emit 100 text deltas of `size` characters
 *   @permission Write        ask for a permission and answer "allowed" / "denied"
 *   @tool Read {"path":"a"}  a tool call that succeeds
 *   @bash ls -la             a Bash tool call (output "exit code 0")
 *   @file src/a.ts 3 1       a file_changed event (created when no deletions, 3 insertions, 1 deletion)
 *   @usage 120 40            the token usage the turn reports
 *   @fail some_code          end the turn with turn_failed
 *   @crash                   end the turn as a crashed CLI would (turn_failed transport_exited)
 *   @error message           an `error` event outside the turn
 *   anything else            echoed back as the reply, word by word
 */
import { randomUUID } from 'node:crypto';
import type { ChatEventBody, Usage } from '@volundr/contracts/chat';
import type { Transport, TransportName, TurnRequest } from './transport';

export interface FakeTurnContext {
  readonly turn: TurnRequest;
  readonly model: string;
  /** Aborted by `interrupt()`. */
  readonly signal: AbortSignal;
  emit(body: ChatEventBody): void;
  text(delta: string): void;
  /** Emits a permission_request and waits for the answer (or the interrupt: then `allow` is false). */
  requestPermission(
    toolName: string,
    input: Record<string, unknown>,
  ): Promise<{ allow: boolean; updatedInput?: Record<string, unknown> }>;
  /** Waits `ms`, or less when interrupted. */
  sleep(ms: number): Promise<void>;
  setUsage(usage: Partial<Usage>, costUsd?: number): void;
  /** Ends the turn with turn_failed (the script should return after it). */
  fail(code: string, message: string): void;
}

export type FakeScript = (ctx: FakeTurnContext) => Promise<void> | void;

export interface FakeTransportOptions {
  name?: TransportName;
  model?: string;
  capabilities?: readonly string[];
  script?: FakeScript;
  /** CLI session id to "resume"; a new one is made on the first turn otherwise. */
  resumeId?: string;
  onCliSessionId?: (id: string) => void;
  check?: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** What `summarize` answers; the default is a JSON summary of the turns run. `null` = no summary. */
  summary?: string | null;
}

export interface FakeTransport extends Transport {
  /** What the broker asked of it, for assertions. */
  readonly calls: {
    turns: TurnRequest[];
    interrupts: number;
    permissionAnswers: { requestId: string; allow: boolean; updatedInput?: Record<string, unknown> }[];
    models: string[];
    closed: boolean;
  };
}

export const FAKE_DEFAULT_USAGE: Usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };

export function createFakeTransport(options: FakeTransportOptions = {}): FakeTransport {
  const script = options.script ?? directiveScript;
  let model = options.model ?? 'fake-model';
  let cliSessionId = options.resumeId;
  let current: { controller: AbortController; waiters: Map<string, (answer: PermissionAnswer) => void> } | null = null;
  let permissionCounter = 0;
  const calls: FakeTransport['calls'] = { turns: [], interrupts: 0, permissionAnswers: [], models: [], closed: false };

  return {
    name: options.name ?? 'claude-sdk',
    capabilities: options.capabilities ?? ['interrupt', 'set_model', 'permission_requests', 'resume'],
    get cliSessionId() {
      return cliSessionId;
    },
    get model() {
      return model;
    },
    check: options.check ?? (async () => ({ ok: true })),
    async runTurn(turn, events) {
      calls.turns.push(turn);
      if (!cliSessionId) {
        cliSessionId = `fake-${randomUUID()}`;
        options.onCliSessionId?.(cliSessionId);
      }
      const controller = new AbortController();
      const waiters = new Map<string, (answer: PermissionAnswer) => void>();
      current = { controller, waiters };
      const started = Date.now();
      let text = '';
      let usage: Usage = { ...FAKE_DEFAULT_USAGE };
      let costUsd: number | undefined;
      let ended = false;
      const emit = (body: ChatEventBody) => {
        if (ended) return;
        if (body.type === 'turn_completed' || body.type === 'turn_failed') ended = true;
        events.emit(body);
      };
      const ctx: FakeTurnContext = {
        turn,
        model,
        signal: controller.signal,
        emit,
        text(delta) {
          text += delta;
          emit({ type: 'text_delta', turnId: turn.turnId, text: delta });
        },
        requestPermission(toolName, input) {
          const requestId = `perm-${++permissionCounter}`;
          return new Promise((resolve) => {
            if (controller.signal.aborted) return resolve({ allow: false });
            waiters.set(requestId, resolve);
            controller.signal.addEventListener('abort', () => resolve({ allow: false }), { once: true });
            emit({ type: 'permission_request', turnId: turn.turnId, requestId, toolName, input });
          });
        },
        sleep(ms) {
          return new Promise((resolve) => {
            if (controller.signal.aborted) return resolve();
            const timer = setTimeout(resolve, ms);
            controller.signal.addEventListener(
              'abort',
              () => {
                clearTimeout(timer);
                resolve();
              },
              { once: true },
            );
          });
        },
        setUsage(partial, cost) {
          usage = { ...usage, ...partial };
          costUsd = cost;
        },
        fail(code, message) {
          emit({ type: 'turn_failed', turnId: turn.turnId, error: { code, message } });
        },
      };
      try {
        await script(ctx);
        if (controller.signal.aborted) {
          ctx.fail('interrupted', 'the turn was interrupted');
        } else {
          emit({
            type: 'turn_completed',
            turnId: turn.turnId,
            text,
            usage,
            ...(costUsd !== undefined ? { costUsd } : {}),
            durationMs: Date.now() - started,
          });
        }
      } catch (error) {
        ctx.fail('transport_exited', `fake CLI crashed: ${(error as Error).message}`);
      } finally {
        current = null;
      }
    },
    async interrupt() {
      calls.interrupts++;
      current?.controller.abort();
    },
    async answerPermission(requestId, allow, updatedInput) {
      calls.permissionAnswers.push({ requestId, allow, ...(updatedInput ? { updatedInput } : {}) });
      const waiter = current?.waiters.get(requestId);
      current?.waiters.delete(requestId);
      waiter?.({ allow, ...(updatedInput ? { updatedInput } : {}) });
    },
    async setModel(next) {
      calls.models.push(next);
      model = next;
    },
    async summarize() {
      if (options.summary !== undefined) return options.summary;
      if (calls.turns.length === 0) return null;
      return JSON.stringify({
        summary: `Fake session with ${calls.turns.length} turn(s)`,
        keyChanges: calls.turns.map((turn) => turn.text.split('\n')[0]?.slice(0, 80) ?? ''),
        unfinishedWork: '',
      });
    },
    async close() {
      calls.closed = true;
      current?.controller.abort();
    },
    calls,
  };
}

type PermissionAnswer = { allow: boolean; updatedInput?: Record<string, unknown> };

/** The default script: directives in the message text (see the file comment). */
export const directiveScript: FakeScript = async (ctx) => {
  const id = ctx.turn.turnId;
  for (const line of ctx.turn.text.split('\n')) {
    if (ctx.signal.aborted) return;
    const [directive = '', ...args] = line.trim().split(/\s+/);
    const rest = line.trim().slice(directive.length).trim();
    switch (directive) {
      case '@sleep':
        await ctx.sleep(Number(args[0] ?? 0));
        break;
      case '@deltas': {
        const count = Number(args[0] ?? 1);
        const chunk = 'x'.repeat(Number(args[1] ?? 1));
        for (let i = 0; i < count; i++) ctx.text(chunk);
        break;
      }
      case '@permission': {
        const toolName = args[0] ?? 'Write';
        const answer = await ctx.requestPermission(toolName, { reason: rest.slice(toolName.length).trim() });
        if (!ctx.signal.aborted) ctx.text(answer.allow ? 'allowed' : 'denied');
        break;
      }
      case '@tool': {
        const name = args[0] ?? 'Read';
        const input = rest.slice(name.length).trim();
        const toolUseId = `tool-${randomUUID()}`;
        ctx.emit({ type: 'tool_started', turnId: id, toolUseId, name, input: input ? JSON.parse(input) : {} });
        ctx.emit({ type: 'tool_finished', turnId: id, toolUseId, output: 'ok', isError: false });
        break;
      }
      case '@bash': {
        const toolUseId = `tool-${randomUUID()}`;
        ctx.emit({ type: 'tool_started', turnId: id, toolUseId, name: 'Bash', input: { command: rest } });
        ctx.emit({ type: 'tool_finished', turnId: id, toolUseId, output: 'exit code 0', isError: false });
        break;
      }
      case '@file': {
        const deletions = Number(args[2] ?? 0);
        ctx.emit({
          type: 'file_changed',
          turnId: id,
          path: args[0] ?? 'file.txt',
          action: deletions > 0 ? 'modified' : 'created',
          insertions: Number(args[1] ?? 1),
          deletions,
        });
        break;
      }
      case '@usage':
        ctx.setUsage({ inputTokens: Number(args[0] ?? 0), outputTokens: Number(args[1] ?? 0) }, Number(args[2] ?? 0));
        break;
      case '@fail':
        ctx.fail(args[0] ?? 'failed', rest || 'the fake turn failed');
        return;
      case '@crash':
        throw new Error('killed');
      case '@error':
        ctx.emit({ type: 'error', code: 'fake_error', message: rest || 'fake error' });
        break;
      default:
        if (line.trim() !== '') {
          const words = `You said: ${line.trim()}`.split(/(?<= )/);
          for (const word of words) ctx.text(word);
        }
    }
  }
};
