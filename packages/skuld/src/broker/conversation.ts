/**
 * The one conversation of a session, shared by every connected client: user messages are
 * echoed to all, de-duplicated by their client id and queued; turns run one at a time through
 * the transport; interrupt, permission answers and model changes go to the transport. State it
 * needs after a restart (seen ids, queued messages, unfinished turns) is rebuilt from the log.
 */
import { randomUUID } from 'node:crypto';
import type { ChatEvent, ChatEventBody, ClientFrame } from '@volundr/contracts/chat';
import { ZChatEventBody } from '@volundr/contracts/chat';
import type { Principal } from '@volundr/contracts/principal';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { Transport } from '../transports/transport';

export interface ConversationOptions {
  transport: Transport;
  publish: (body: ChatEventBody) => void;
  /** Tells every connected client about a state change without logging it (a new `ready`). */
  announce: (body: ChatEventBody) => void;
  logger: Logger;
  recovered: RecoveredConversation;
  /** Persist a model change (so a restarted broker keeps it). */
  onModelChanged?: (model: string) => void;
  newId?: () => string;
}

/** Who sent a frame, and how to answer that connection alone. */
export interface FrameOrigin {
  principal: Principal;
  reply: (body: ChatEventBody) => void;
}

export interface Conversation {
  /** The `ready` event a joining client gets after its replay (not logged). */
  readyEvent(): ChatEventBody;
  handle(frame: ClientFrame, from: FrameOrigin): void;
  /** Ends turns a previous process left open and starts messages it left queued. */
  resume(): void;
  /** Turns started over the whole session (all runs of the broker). */
  readonly turnsStarted: number;
  readonly running: boolean;
  /** Resolves when no turn runs and nothing is queued. */
  idle(): Promise<void>;
  /** Stops starting turns, interrupts the running one and waits (bounded) for it to end. */
  shutdown(timeoutMs: number): Promise<void>;
}

/** What the log says about the conversation so far (filled while the log is opened). */
export interface RecoveredConversation {
  onEvent(event: ChatEvent): void;
  readonly seenMessageIds: ReadonlySet<string>;
  /** User messages echoed but never started, in order. */
  queued(): { id: string; text: string }[];
  /** Turns started and never ended (the process died during them). */
  openTurns(): string[];
  readonly turnsStarted: number;
}

export function recoverConversation(): RecoveredConversation {
  const seen = new Set<string>();
  const waiting = new Map<string, string>();
  const open = new Set<string>();
  let turnsStarted = 0;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'user_message':
          seen.add(event.id);
          waiting.set(event.id, event.text);
          break;
        case 'turn_started':
          turnsStarted++;
          waiting.delete(event.userMessageId);
          open.add(event.turnId);
          break;
        case 'turn_completed':
        case 'turn_failed':
          open.delete(event.turnId);
          break;
      }
    },
    seenMessageIds: seen,
    queued: () => [...waiting].map(([id, text]) => ({ id, text })),
    openTurns: () => [...open],
    get turnsStarted() {
      return turnsStarted;
    },
  };
}

interface RunningTurn {
  turnId: string;
  ended: boolean;
  permissions: Set<string>;
}

export function createConversation(options: ConversationOptions): Conversation {
  const { transport, publish, logger } = options;
  const newId = options.newId ?? randomUUID;
  const seen = new Set(options.recovered.seenMessageIds);
  const queue: { id: string; text: string }[] = [];
  let model = transport.model;
  let running: RunningTurn | null = null;
  let turnsStarted = options.recovered.turnsStarted;
  let accepting = true;
  let idleWaiters: (() => void)[] = [];
  let turnEnded: (() => void) | null = null;

  const has = (capability: string) => transport.capabilities.includes(capability);

  const settleIdle = () => {
    if (running || queue.length > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const fromTransport = (turn: RunningTurn, body: ChatEventBody) => {
    const parsed = ZChatEventBody.safeParse(body);
    if (!parsed.success) {
      logger.error(
        { turnId: turn.turnId, issue: parsed.error.issues[0]?.message, type: (body as { type?: unknown }).type },
        'transport emitted an invalid event; dropped',
      );
      return;
    }
    const event = parsed.data;
    switch (event.type) {
      case 'turn_started':
      case 'ready':
      case 'user_message':
      case 'pong':
        // The broker owns these.
        logger.debug({ type: event.type }, 'transport emitted a broker-owned event; dropped');
        return;
      case 'error':
        publish(event);
        return;
      default:
        break;
    }
    if (turn.ended || event.turnId !== turn.turnId) {
      logger.debug({ type: event.type, turnId: event.turnId }, 'event after its turn ended; dropped');
      return;
    }
    if (event.type === 'permission_request') turn.permissions.add(event.requestId);
    if (event.type === 'turn_completed' || event.type === 'turn_failed') {
      turn.ended = true;
      turn.permissions.clear();
    }
    publish(event);
  };

  const runNext = () => {
    if (running || !accepting) return settleIdle();
    const next = queue.shift();
    if (!next) return settleIdle();
    const turn: RunningTurn = { turnId: newId(), ended: false, permissions: new Set() };
    running = turn;
    turnsStarted++;
    publish({ type: 'turn_started', turnId: turn.turnId, userMessageId: next.id });
    const started = Date.now();
    void Promise.resolve()
      .then(() =>
        transport.runTurn(
          { turnId: turn.turnId, userMessageId: next.id, text: next.text },
          { emit: (body) => fromTransport(turn, body) },
        ),
      )
      .catch((error: unknown) => {
        logger.error({ turnId: turn.turnId, error: (error as Error).message }, 'transport threw from runTurn');
      })
      .finally(() => {
        if (!turn.ended) {
          turn.ended = true;
          publish({
            type: 'turn_failed',
            turnId: turn.turnId,
            error: { code: 'transport_error', message: 'the transport ended the turn without a result' },
          });
        }
        logger.info({ turnId: turn.turnId, ms: Date.now() - started }, 'turn ended');
        running = null;
        turnEnded?.();
        runNext();
      });
  };

  const call = (what: string, from: FrameOrigin, action: () => Promise<void>) =>
    Promise.resolve()
      .then(action)
      .catch((error: unknown) => {
        logger.warn({ error: (error as Error).message }, `${what} failed`);
        from.reply({ type: 'error', code: `${what}_failed`, message: (error as Error).message });
      });

  const unsupported = (from: FrameOrigin, what: string) =>
    from.reply({
      type: 'error',
      code: 'unsupported',
      message: `the ${transport.name} transport does not support ${what}`,
    });

  const readyEvent = (): ChatEventBody => ({
    type: 'ready',
    transport: transport.name,
    model,
    capabilities: [...transport.capabilities],
    ...(transport.cliSessionId ? { cliSessionId: transport.cliSessionId } : {}),
  });

  return {
    readyEvent,
    handle(frame, from) {
      switch (frame.type) {
        case 'ping':
          from.reply({ type: 'pong' });
          return;
        case 'user_message': {
          // A client re-sends unconfirmed messages after a reconnect: the first copy wins.
          if (seen.has(frame.id)) return;
          seen.add(frame.id);
          const author = from.principal.name ?? from.principal.email ?? from.principal.userId;
          publish({ type: 'user_message', id: frame.id, text: frame.text, author });
          queue.push({ id: frame.id, text: frame.text });
          runNext();
          return;
        }
        case 'interrupt':
          if (!has('interrupt')) return unsupported(from, 'interrupt');
          if (!running || running.ended) return;
          void call('interrupt', from, () => transport.interrupt());
          return;
        case 'permission_response': {
          if (!running?.permissions.has(frame.requestId)) {
            from.reply({
              type: 'error',
              code: 'unknown_permission_request',
              message: `no open permission request ${frame.requestId}`,
            });
            return;
          }
          running.permissions.delete(frame.requestId);
          void call('permission_response', from, () =>
            transport.answerPermission(frame.requestId, frame.allow, frame.updatedInput),
          );
          return;
        }
        case 'set_model':
          if (!has('set_model')) return unsupported(from, 'set_model');
          void call('set_model', from, async () => {
            await transport.setModel(frame.model);
            model = frame.model;
            options.onModelChanged?.(model);
            options.announce(readyEvent());
          });
          return;
      }
    },
    resume() {
      for (const turnId of options.recovered.openTurns()) {
        publish({
          type: 'turn_failed',
          turnId,
          error: { code: 'broker_restarted', message: 'the broker stopped during this turn' },
        });
      }
      queue.push(...options.recovered.queued());
      runNext();
    },
    get turnsStarted() {
      return turnsStarted;
    },
    get running() {
      return running !== null;
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async shutdown(timeoutMs) {
      accepting = false;
      const turn = running;
      if (!turn) return;
      const ended = new Promise<void>((resolve) => {
        turnEnded = resolve;
      });
      if (has('interrupt')) await transport.interrupt().catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      idleWaiters = [];
    },
  };
}
