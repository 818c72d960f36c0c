/**
 * An EventSource that sends headers. Browsers' EventSource cannot set `Authorization`, and the
 * API authenticates every request (SSE included) from that header, so tRPC's
 * `httpSubscriptionLink` is given this class instead. It follows the EventSource contract the
 * link relies on: `open`/`message`/named events/`error`, `readyState`, automatic reconnection
 * with `Last-Event-ID` (the API resumes tracked subscriptions from it), and `close()`.
 *
 * Headers are a function so every (re)connection carries a fresh access token.
 */

export interface FetchEventSourceInit {
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** First reconnection delay (the server's `retry:` field overrides it). Default 1 s. */
  retryMs?: number;
  /** Ceiling of the doubling delay between failed reconnections. Default 30 s. */
  maxRetryMs?: number;
}

export interface SseMessageEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/**
 * The `error` event; `fatal` when the source has closed for good (`readyState` CLOSED). An
 * Error, so tRPC's `TRPCClientError.from` keeps its message.
 */
export class SseError extends Error {
  readonly type = 'error';
  constructor(
    message: string,
    readonly fatal: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SseError';
  }
}

type Listener = (event: never) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Statuses worth retrying: the API restarting behind the front door, or a gateway hiccup. */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export class FetchEventSource {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;
  readonly withCredentials = false;

  readyState: number = CONNECTING;
  readonly url: string;

  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly init: FetchEventSourceInit;
  private readonly abort = new AbortController();
  private lastEventId = '';
  private retryMs: number;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(url: string | URL, init: FetchEventSourceInit = {}) {
    this.url = String(url);
    this.init = init;
    this.retryMs = init.retryMs ?? 1000;
    void this.connect();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
  }

  private emit(type: string, event: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) (listener as (e: unknown) => void)(event);
  }

  private fail(message: string, status?: number): void {
    this.readyState = CLOSED;
    this.abort.abort();
    this.emit('error', new SseError(message, true, status));
  }

  private retry(message: string, status?: number): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CONNECTING;
    this.emit('error', new SseError(message, false, status));
    if (this.readyState === CLOSED) return; // a listener closed us
    const delay = Math.min(this.init.maxRetryMs ?? 30_000, this.retryMs * 2 ** Math.min(this.failures, 10));
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.readyState === CLOSED) return;
    const doFetch = this.init.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...(await this.init.headers?.()) };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      if (this.readyState === CLOSED) return;
      response = await doFetch(this.url, { headers, signal: this.abort.signal, cache: 'no-store' });
    } catch (error) {
      if (this.readyState === CLOSED) return;
      this.retry(`cannot reach ${this.url}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      const message = `${this.url} answered ${response.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`;
      if (RETRYABLE.has(response.status)) this.retry(message, response.status);
      else this.fail(message, response.status);
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream') || !response.body) {
      this.fail(`${this.url} did not answer with an event stream (content-type "${type}")`, response.status);
      return;
    }
    this.readyState = OPEN;
    this.failures = 0;
    this.emit('open', { type: 'open' });
    try {
      await this.read(response.body);
    } catch (error) {
      if (this.readyState === CLOSED) return;
      this.retry(`the event stream broke: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.readyState !== CLOSED) this.retry('the server ended the event stream');
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser((event) => {
      if (this.readyState === CLOSED) return;
      if (event.id !== undefined) this.lastEventId = event.id;
      if (event.retry !== undefined) this.retryMs = event.retry;
      if (event.data === undefined) return;
      const message: SseMessageEvent = { type: event.type, data: event.data, lastEventId: this.lastEventId };
      this.emit(event.type, message);
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.readyState === CLOSED) return;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
    }
  }
}

export interface ParsedSseEvent {
  type: string;
  /** Undefined when the block had no `data:` line (nothing is dispatched then). */
  data?: string;
  id?: string;
  retry?: number;
}

/** The text/event-stream parser of the HTML standard (§9.2.6), fed with decoded chunks. */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private id: string | undefined;
  private retry: number | undefined;
  private first = true;

  constructor(private readonly onEvent: (event: ParsedSseEvent) => void) {}

  push(chunk: string): void {
    let text = this.buffer + chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      // A lone "\r" at the end of the chunk may be the first half of "\r\n": wait for more.
      if (c === '\r' && i === text.length - 1) break;
      this.line(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      start = i + 1;
    }
    this.buffer = text.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) this.id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    const event: ParsedSseEvent = { type: this.type || 'message' };
    if (this.data.length > 0) event.data = this.data.join('\n');
    if (this.id !== undefined) event.id = this.id;
    if (this.retry !== undefined) event.retry = this.retry;
    this.data = [];
    this.type = '';
    this.id = undefined;
    this.retry = undefined;
    if (event.data !== undefined || event.id !== undefined || event.retry !== undefined) this.onEvent(event);
  }
}
