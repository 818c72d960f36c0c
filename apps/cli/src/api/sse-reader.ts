/** One Server-Sent Event as the spec defines it (fields joined, comments dropped). */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body (WHATWG "event stream interpretation"): lines ending in
 * LF, CRLF or CR; `data:` lines joined with "\n"; an empty line dispatches; comments skipped.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  let sawData = false;

  function* lines(final: boolean): Generator<SseMessage> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      if (!match) return;
      // A lone CR at the end may be the first half of CRLF: wait for more, unless the body ended.
      if (!final && match[0] === '\r' && match.index === buffer.length - 1) return;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (sawData) yield { data: data.join('\n'), ...(event ? { event } : {}), ...(id !== undefined ? { id } : {}) };
        data = [];
        event = undefined;
        sawData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') {
        data.push(value);
        sawData = true;
      } else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
  }

  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    yield* lines(false);
  }
  buffer += decoder.decode();
  yield* lines(true);
}
