import { describe, expect, it } from 'vitest';
import { FetchEventSource, type SseError, type SseMessageEvent, SseParser } from './fetch-event-source';

/** A response whose body is written by the test, chunk by chunk. */
function streamResponse(init: { status?: number; type?: string } = {}) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, {
      status: init.status ?? 200,
      headers: { 'content-type': init.type ?? 'text/event-stream' },
    }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

function waitFor<T>(read: () => T | undefined, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = read();
      if (value !== undefined) resolve(value);
      else if (Date.now() > deadline) reject(new Error('timed out'));
      else setTimeout(tick, 2);
    };
    tick();
  });
}

describe('SseParser', () => {
  it('parses events split across chunks, CRLF and CR line ends, comments and multi-line data', () => {
    const events: unknown[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('\ufeff: comment\r\nid: 7\r\nevent: connected\r\ndata: {"a"');
    parser.push(':1}\r');
    parser.push('\n\r\ndata: line1\rdata: line2\r\r');
    parser.push('retry: 50\n\n');
    expect(events).toEqual([
      { type: 'connected', data: '{"a":1}', id: '7' },
      { type: 'message', data: 'line1\nline2' },
      { type: 'message', retry: 50 },
    ]);
  });

  it('keeps a field without a colon as an empty value and drops unknown fields', () => {
    const events: unknown[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('data\nfoo: bar\n\n');
    expect(events).toEqual([{ type: 'message', data: '' }]);
  });
});

describe('FetchEventSource', () => {
  function fakeServer(responses: Array<() => Response | Promise<Response>>) {
    const requests: Record<string, string>[] = [];
    let token = 0;
    const source = new FetchEventSource('http://api.test/trpc/x', {
      retryMs: 1,
      headers: () => ({ authorization: `Bearer t${++token}` }),
      fetch: async (_url, init) => {
        requests.push({ ...(init?.headers as Record<string, string>) });
        const next = responses.shift();
        if (!next) throw new Error('no more responses');
        return next();
      },
    });
    return { source, requests };
  }

  it('sends fresh headers, dispatches named events, resumes with Last-Event-ID after a drop', async () => {
    const one = streamResponse();
    const two = streamResponse();
    const { source, requests } = fakeServer([() => one.response, () => two.response]);
    const seen: string[] = [];
    const errors: SseError[] = [];
    source.addEventListener('message', (e: SseMessageEvent) => seen.push(`${e.lastEventId}:${e.data}`));
    source.addEventListener('connected', (e: SseMessageEvent) => seen.push(`connected:${e.data}`));
    source.addEventListener('error', (e: SseError) => errors.push(e));

    await waitFor(() => (source.readyState === source.OPEN ? true : undefined));
    one.write('event: connected\ndata: {}\n\nid: 41\ndata: "a"\n\n');
    await waitFor(() => (seen.length === 2 ? true : undefined));
    one.end(); // the connection drops
    await waitFor(() => (requests.length === 2 && source.readyState === source.OPEN ? true : undefined));
    two.write('id: 42\ndata: "b"\n\n');
    await waitFor(() => (seen.length === 3 ? true : undefined));
    source.close();

    expect(seen).toEqual(['connected:{}', '41:"a"', '42:"b"']);
    expect(requests[0]).toMatchObject({ authorization: 'Bearer t1', accept: 'text/event-stream' });
    expect(requests[0]?.['last-event-id']).toBeUndefined();
    expect(requests[1]).toMatchObject({ authorization: 'Bearer t2', 'last-event-id': '41' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fatal).toBe(false);
    expect(source.readyState).toBe(source.CLOSED);
  });

  it('retries a 503 (API restarting) and closes for good on a 401 with the reason', async () => {
    const { source, requests } = fakeServer([
      () => new Response('restarting', { status: 503 }),
      () => new Response('{"error":"no token"}', { status: 401 }),
    ]);
    const errors: SseError[] = [];
    source.addEventListener('error', (e: SseError) => errors.push(e));
    await waitFor(() => (errors.length === 2 ? true : undefined));
    expect(requests).toHaveLength(2);
    expect(errors[0]).toMatchObject({ fatal: false, status: 503 });
    expect(errors[1]).toMatchObject({ fatal: true, status: 401 });
    expect(errors[1]?.message).toContain('no token');
    expect(errors[1]).toBeInstanceOf(Error);
    expect(source.readyState).toBe(source.CLOSED);
  });

  it('refuses a response that is not an event stream', async () => {
    const { source } = fakeServer([() => new Response('<html>', { headers: { 'content-type': 'text/html' } })]);
    const errors: SseError[] = [];
    source.addEventListener('error', (e: SseError) => errors.push(e));
    await waitFor(() => (errors.length === 1 ? true : undefined));
    expect(errors[0]?.message).toContain('text/html');
    expect(source.readyState).toBe(source.CLOSED);
  });

  it('stops reconnecting once closed by a listener', async () => {
    const one = streamResponse();
    const { source, requests } = fakeServer([() => one.response]);
    source.addEventListener('error', () => source.close());
    await waitFor(() => (source.readyState === source.OPEN ? true : undefined));
    one.end();
    await waitFor(() => (source.readyState === source.CLOSED ? true : undefined));
    await new Promise((r) => setTimeout(r, 20));
    expect(requests).toHaveLength(1);
  });
});
