/**
 * Client of a session's chat broker (Skuld, chat protocol v1). Runs in browsers (the global
 * WebSocket, token as `access_token` query parameter) and in Node (an injected `ws`
 * constructor, token in the `Authorization` header). Reconnects with exponential backoff and
 * `?after=<last seq>`, de-duplicates by `seq`, validates every event with `ZChatEvent`.
 */
import {
  type ChatEvent,
  type ChatEventType,
  type ClientFrame,
  chatCloseCodes,
  ZChatEvent,
  ZClientFrame,
} from '@volundr/contracts/chat';

/** The part of the WebSocket API this client uses; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** `ws`'s constructor accepts a third argument with headers; a browser's ignores it. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

export type ChatClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatClientStatus {
  state: ChatClientState;
  /** Reconnect attempts since the last successful connection. */
  attempt: number;
  /** Close code of the last connection, if it closed. */
  closeCode?: number;
  /**
   * Why the client stopped for good (`closed` state): `unauthenticated` (4401), `forbidden`
   * (4403), `closed` (close() was called) or `gave_up` (maxAttempts reached).
   */
  reason?: 'unauthenticated' | 'forbidden' | 'closed' | 'gave_up';
}

export interface ChatClientOptions {
  /** `ws(s)://host/s/<sessionId>/ws/chat` (or the broker's own `/ws/chat`). */
  url: string;
  /** A token, or a function giving a fresh one before each (re)connect. */
  token: string | (() => string | Promise<string>);
  /** Defaults to the global WebSocket (browsers, Node 22+). Pass `ws`'s `WebSocket` in Node 20. */
  WebSocket?: WebSocketConstructor;
  /** Where the token goes. Default: `header` with an injected constructor, `query` otherwise. */
  tokenIn?: 'header' | 'query';
  /** Resume after this seq (events with a larger seq are replayed). Default: the whole log. */
  after?: number;
  reconnect?: {
    initialDelayMs?: number;
    maxDelayMs?: number;
    /** Give up after this many failed attempts in a row. Default: never. */
    maxAttempts?: number;
  };
}

export type ChatEventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;

export interface ChatClient {
  readonly status: ChatClientStatus;
  /** The largest logged seq received: where a reconnect resumes. */
  readonly lastSeq: number;
  onEvent(handler: (event: ChatEvent) => void): () => void;
  on<T extends ChatEventType>(type: T, handler: (event: ChatEventOf<T>) => void): () => void;
  onStatus(handler: (status: ChatClientStatus) => void): () => void;
  /** Frames from the broker that are not valid protocol events (they are dropped). */
  onInvalid(handler: (problem: { message: string; data: string }) => void): () => void;
  /**
   * Sends a user message; returns its id. While disconnected it is kept and sent on the next
   * connection, and it is re-sent after a reconnect until the broker's echo arrives (the
   * broker de-duplicates by id).
   */
  sendMessage(text: string, id?: string): string;
  /** These return false when not connected: replaying them later could hit another turn. */
  interrupt(): boolean;
  answerPermission(requestId: string, allow: boolean, updatedInput?: Record<string, unknown>): boolean;
  setModel(model: string): boolean;
  ping(): boolean;
  /** Resolves once connected (immediately when open); rejects if the client stops for good first. */
  opened(): Promise<void>;
  close(): void;
}

const OPEN = 1;

export function createChatClient(options: ChatClientOptions): ChatClient {
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketImpl) throw new Error('No WebSocket implementation: pass options.WebSocket (e.g. the `ws` package)');
  const tokenIn = options.tokenIn ?? (options.WebSocket ? 'header' : 'query');
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 500;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 30_000;
  const maxAttempts = options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY;

  const eventHandlers = new Set<(event: ChatEvent) => void>();
  const statusHandlers = new Set<(status: ChatClientStatus) => void>();
  const invalidHandlers = new Set<(problem: { message: string; data: string }) => void>();
  /** User messages not yet echoed by the broker, in send order. */
  const unconfirmed = new Map<string, ClientFrame>();

  let lastSeq = options.after ?? 0;
  let status: ChatClientStatus = { state: 'connecting', attempt: 0 };
  let socket: WebSocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let openWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  const setStatus = (next: ChatClientStatus) => {
    status = next;
    if (next.state === 'open') for (const waiter of openWaiters.splice(0)) waiter.resolve();
    if (next.state === 'closed') {
      const error = new Error(`chat client stopped: ${next.reason ?? 'closed'}`);
      for (const waiter of openWaiters.splice(0)) waiter.reject(error);
    }
    for (const handler of statusHandlers) handler(next);
  };

  const buildUrl = (token: string) => {
    const url = new URL(options.url);
    if (lastSeq > 0) url.searchParams.set('after', String(lastSeq));
    else url.searchParams.delete('after');
    if (tokenIn === 'query') url.searchParams.set('access_token', token);
    return url.toString();
  };

  const deliver = (raw: unknown) => {
    const data = typeof raw === 'string' ? raw : String(raw);
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      for (const handler of invalidHandlers) handler({ message: 'not JSON', data: data.slice(0, 500) });
      return;
    }
    const parsed = ZChatEvent.safeParse(json);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      for (const handler of invalidHandlers) handler({ message, data: data.slice(0, 500) });
      return;
    }
    const event = parsed.data as ChatEvent;
    // The broker's log was reset: our position means nothing there, and it replays from 1.
    if (event.ephemeral && event.type === 'error' && event.code === 'after_out_of_range') lastSeq = 0;
    if (!event.ephemeral) {
      if (event.seq <= lastSeq) return; // already seen (overlapping replay)
      lastSeq = event.seq;
    }
    if (event.type === 'user_message') unconfirmed.delete(event.id);
    if (event.type === 'ready' && status.attempt !== 0) setStatus({ state: 'open', attempt: 0 });
    for (const handler of eventHandlers) handler(event);
  };

  const scheduleReconnect = (closeCode: number) => {
    const attempt = status.attempt + 1;
    if (attempt > maxAttempts) {
      setStatus({ state: 'closed', attempt, closeCode, reason: 'gave_up' });
      return;
    }
    setStatus({ state: 'reconnecting', attempt, closeCode });
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    // Half fixed, half random: spreads the clients of a restarted broker without long waits.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
  };

  const connect = async () => {
    if (stopped) return;
    let token: string;
    try {
      token = typeof options.token === 'function' ? await options.token() : options.token;
    } catch {
      scheduleReconnect(0);
      return;
    }
    if (stopped) return;
    const url = buildUrl(token);
    const ws =
      tokenIn === 'header'
        ? new WebSocketImpl(url, undefined, { headers: { authorization: `Bearer ${token}` } })
        : new WebSocketImpl(url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      setStatus({ state: 'open', attempt: status.attempt });
      for (const frame of unconfirmed.values()) ws.send(JSON.stringify(frame));
    };
    ws.onmessage = (message) => {
      if (socket === ws) deliver(message.data);
    };
    ws.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      if (event.code === chatCloseCodes.unauthenticated) {
        stopped = true;
        setStatus({ state: 'closed', attempt: status.attempt, closeCode: event.code, reason: 'unauthenticated' });
      } else if (event.code === chatCloseCodes.forbidden) {
        stopped = true;
        setStatus({ state: 'closed', attempt: status.attempt, closeCode: event.code, reason: 'forbidden' });
      } else {
        scheduleReconnect(event.code);
      }
    };
  };

  const sendFrame = (frame: ClientFrame): boolean => {
    const checked = ZClientFrame.parse(frame);
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(checked));
    return true;
  };

  const subscribe = <H>(set: Set<H>, handler: H) => {
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  };

  void connect();

  return {
    get status() {
      return status;
    },
    get lastSeq() {
      return lastSeq;
    },
    onEvent: (handler) => subscribe(eventHandlers, handler),
    on(type, handler) {
      return subscribe(eventHandlers, (event: ChatEvent) => {
        if (event.type === type) handler(event as ChatEventOf<typeof type>);
      });
    },
    onStatus: (handler) => subscribe(statusHandlers, handler),
    onInvalid: (handler) => subscribe(invalidHandlers, handler),
    sendMessage(text, id = newId()) {
      const frame: ClientFrame = ZClientFrame.parse({ type: 'user_message', id, text });
      unconfirmed.set(id, frame);
      sendFrame(frame);
      return id;
    },
    interrupt: () => sendFrame({ type: 'interrupt' }),
    answerPermission: (requestId, allow, updatedInput) =>
      sendFrame({ type: 'permission_response', requestId, allow, ...(updatedInput ? { updatedInput } : {}) }),
    setModel: (model) => sendFrame({ type: 'set_model', model }),
    ping: () => sendFrame({ type: 'ping' }),
    opened() {
      if (status.state === 'open') return Promise.resolve();
      if (stopped) return Promise.reject(new Error(`chat client stopped: ${status.reason ?? 'closed'}`));
      return new Promise((resolve, reject) => openWaiters.push({ resolve, reject }));
    },
    close() {
      if (stopped && status.state === 'closed') return;
      stopped = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      setStatus({ state: 'closed', attempt: status.attempt, reason: 'closed' });
      openWaiters = [];
    },
  };
}

function newId(): string {
  const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  return `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
