import { Agent, type IncomingMessage, request } from 'node:http';

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** Messages in arrival order; `next()` waits for the next one. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Waits for a message matching `predicate`, returning every message up to and including it. */
  until(predicate: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage[]>;
  /**
   * Called for every message as it arrives (benchmarks time deliveries with it). Pass it to
   * `openSse` to see the first messages too: they may arrive with the response headers.
   */
  onMessage?: (m: SseMessage) => void;
  close(): void;
  /** The non-200 body, when the server refused the stream. */
  errorBody: string | null;
}

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/** A minimal EventSource over node:http (it sends what we say, e.g. Last-Event-ID). */
export function openSse(
  url: string,
  headers: Record<string, string> = {},
  onMessage?: (m: SseMessage) => void,
): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const queue: SseMessage[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const req = request(
      url,
      { headers: { accept: 'text/event-stream', ...headers }, agent },
      (res: IncomingMessage) => {
        const stream: SseStream = {
          ...(onMessage ? { onMessage } : {}),
          status: res.statusCode ?? 0,
          errorBody: null,
          async next(timeoutMs = 15_000) {
            const deadline = Date.now() + timeoutMs;
            while (queue.length === 0) {
              if (ended) throw new Error('the event stream ended');
              const left = deadline - Date.now();
              if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
              await new Promise<void>((r) => {
                const timer = setTimeout(r, left);
                wake = () => {
                  clearTimeout(timer);
                  r();
                };
              });
              wake = null;
            }
            return queue.shift()!;
          },
          async until(predicate, timeoutMs = 15_000) {
            const seen: SseMessage[] = [];
            const deadline = Date.now() + timeoutMs;
            for (;;) {
              const m = await stream.next(Math.max(1, deadline - Date.now()));
              seen.push(m);
              if (predicate(m)) return seen;
            }
          },
          close() {
            req.destroy();
          },
        };
        if (stream.status !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => {
            stream.errorBody = body;
            resolve(stream);
          });
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const message: SseMessage = { id: undefined, event: 'message', data: '' };
            let isComment = true;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              isComment = false;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') message.id = value;
              else if (field === 'event') message.event = value;
              else if (field === 'data') message.data += message.data ? `\n${value}` : value;
            }
            if (isComment) continue;
            stream.onMessage?.(message);
            queue.push(message);
            wake?.();
          }
        });
        res.on('close', () => {
          ended = true;
          wake?.();
        });
        resolve(stream);
      },
    );
    req.on('error', (error) => {
      ended = true;
      reject(error);
    });
    req.end();
  });
}
