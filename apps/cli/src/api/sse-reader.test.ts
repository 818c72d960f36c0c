import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './sse-reader';

/** A body delivered in the given chunks (to cut lines and CRLFs anywhere). */
const body = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });

async function all(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSse(stream)) out.push(m);
  return out;
}

describe('readSse', () => {
  it('reads events, ids, multi-line data and skips comments', async () => {
    expect(await all(body(': hi\n\nevent: connected\ndata: {}\n\nid: 7\ndata: a\ndata: b\n\n'))).toEqual([
      { event: 'connected', data: '{}' },
      { id: '7', data: 'a\nb' },
    ]);
  });

  it('handles CRLF and CR line ends split across chunks', async () => {
    expect(await all(body('id: 1\r', '\ndata: x\r\n\r', '\ndata: y\r\r'))).toEqual([
      { id: '1', data: 'x' },
      { id: '1', data: 'y' },
    ]);
  });

  it('drops an event without data, and a last event without its blank line', async () => {
    expect(await all(body('event: ping\n\ndata: done\n\ndata: cut'))).toEqual([{ data: 'done' }]);
  });

  it('keeps multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: ✓\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 7));
        controller.enqueue(bytes.subarray(7));
        controller.close();
      },
    });
    expect(await all(stream)).toEqual([{ data: '✓' }]);
  });
});
