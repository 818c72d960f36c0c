/**
 * The chat client against a small scripted WebSocket peer on loopback (the real broker is
 * exercised in packages/skuld's tests): reconnect with `after`, de-duplication by seq,
 * ephemeral events, token placement, resend of unconfirmed messages, and terminal close codes.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatEvent } from '@volundr/contracts/chat';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { type ChatClient, createChatClient, type WebSocketConstructor } from './chat-client';

interface Peer {
  url: string;
  connections: { request: IncomingMessage; socket: WebSocket; frames: unknown[] }[];
  onConnection: (handler: (socket: WebSocket, request: IncomingMessage) => void) => void;
  close(): Promise<void>;
}

async function startPeer(): Promise<Peer> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connections: Peer['connections'] = [];
  let handler: (socket: WebSocket, request: IncomingMessage) => void = () => undefined;
  server.on('connection', (socket, request) => {
    const entry = { request, socket, frames: [] as unknown[] };
    connections.push(entry);
    socket.on('message', (data) => {
      entry.frames.push(JSON.parse(data.toString()));
      notify();
    });
    handler(socket, request);
    notify();
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/s/s1/ws/chat`,
    connections,
    onConnection: (h) => {
      handler = h;
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const event = (seq: number, body: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ seq, ts: new Date().toISOString(), ...body, ...extra });
const delta = (seq: number) => event(seq, { type: 'text_delta', turnId: 't', text: `d${seq}` });
const ready = (seq: number) =>
  event(seq, { type: 'ready', transport: 'claude-sdk', model: 'm', capabilities: [] }, { ephemeral: true });

/** Conditions are re-checked whenever the peer or a client reports something (no polling). */
const listeners = new Set<() => void>();
// Deferred, so handlers a test registers after these have run when conditions are checked.
const notify = () =>
  queueMicrotask(() => {
    for (const listener of [...listeners]) listener();
  });
function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const run = () => {
      if (!check()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error('condition not met in time'));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      listeners.delete(run);
    };
    listeners.add(run);
    run();
  });
}

function connect(options: Omit<Parameters<typeof createChatClient>[0], 'WebSocket'>): ChatClient {
  const c = createChatClient({ WebSocket: WebSocket as unknown as WebSocketConstructor, ...options });
  c.onEvent(notify);
  c.onStatus(notify);
  c.onInvalid(notify);
  client = c;
  return c;
}

let peer: Peer;
let client: ChatClient | null = null;
afterEach(async () => {
  client?.close();
  await peer?.close();
});

describe('chat client', () => {
  it('sends the token in the header, reconnects with after=<last seq> and drops duplicate events', async () => {
    peer = await startPeer();
    const seen: ChatEvent[] = [];
    peer.onConnection((socket, request) => {
      const after = Number(new URL(request.url ?? '', 'http://x').searchParams.get('after') ?? 0);
      if (after === 0) {
        for (const seq of [1, 2, 3]) socket.send(delta(seq));
        socket.send(ready(3));
        setTimeout(() => socket.close(1012, 'restart'), 20);
      } else {
        // An overlapping replay: 2 and 3 again, then 4.
        for (const seq of [2, 3, 4]) socket.send(delta(seq));
        socket.send(ready(4));
      }
    });
    client = connect({ url: peer.url, token: 'tok-1', reconnect: { initialDelayMs: 10 } });
    client.onEvent((e) => seen.push(e));
    await until(() => seen.filter((e) => !e.ephemeral).length === 4);
    expect(seen.filter((e) => !e.ephemeral).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(client.lastSeq).toBe(4);
    expect(peer.connections[0]?.request.headers.authorization).toBe('Bearer tok-1');
    expect(peer.connections[1]?.request.url).toBe('/s/s1/ws/chat?after=3');
    expect(peer.connections[1]?.request.url).not.toContain('access_token');
  });

  it('puts the token in the query for browsers, fetching a fresh one per connection', async () => {
    peer = await startPeer();
    let n = 0;
    peer.onConnection((socket) => {
      socket.send(ready(1));
      if (peer.connections.length === 1) setTimeout(() => socket.close(1001), 10);
    });
    client = connect({
      url: peer.url,
      token: async () => `tok-${++n}`,
      tokenIn: 'query',
      reconnect: { initialDelayMs: 10 },
    });
    await until(() => peer.connections.length === 2);
    expect(
      peer.connections.map((c) => new URL(c.request.url ?? '', 'http://x').searchParams.get('access_token')),
    ).toEqual(['tok-1', 'tok-2']);
    expect(peer.connections[0]?.request.headers.authorization).toBeUndefined();
  });

  it('re-sends a user message until its echo arrives, and validates what it sends', async () => {
    peer = await startPeer();
    peer.onConnection((socket) => {
      socket.send(ready(1));
      if (peer.connections.length === 1) {
        // Takes the message, then drops the connection before echoing it.
        socket.once('message', () => socket.terminate());
      } else {
        socket.once('message', (data) => {
          const frame = JSON.parse(data.toString()) as { id: string; text: string };
          socket.send(event(2, { type: 'user_message', id: frame.id, text: frame.text, author: 'Ada' }));
        });
      }
    });
    client = connect({ url: peer.url, token: 't', reconnect: { initialDelayMs: 10 } });
    const echoes: ChatEvent[] = [];
    client.on('user_message', (e) => echoes.push(e));
    await client.opened();
    const id = client.sendMessage('hello');
    await until(() => echoes.length === 1);
    expect(echoes[0]).toMatchObject({ id, text: 'hello', author: 'Ada' });
    expect(peer.connections.map((c) => c.frames)).toEqual([
      [{ type: 'user_message', id, text: 'hello' }],
      [{ type: 'user_message', id, text: 'hello' }],
    ]);
    expect(() => client?.sendMessage('')).toThrow();
    expect(client.ping()).toBe(true);
  });

  it('stops for good on 4401 and 4403, and reports invalid events without delivering them', async () => {
    for (const [code, reason] of [
      [4401, 'unauthenticated'],
      [4403, 'forbidden'],
    ] as const) {
      peer = await startPeer();
      peer.onConnection((socket) => {
        socket.send('{"seq":1,"type":"nonsense"}');
        setTimeout(() => socket.close(code, 'no'), 10);
      });
      const invalid: string[] = [];
      const c = connect({ url: peer.url, token: 't', reconnect: { initialDelayMs: 10 } });
      c.onInvalid((problem) => invalid.push(problem.message));
      await expect(c.opened()).resolves.toBeUndefined();
      await until(() => c.status.state === 'closed');
      expect(c.status).toMatchObject({ state: 'closed', reason, closeCode: code });
      expect(invalid).toHaveLength(1);
      expect(peer.connections).toHaveLength(1);
      await peer.close();
    }
  });

  it('forgets its position when the broker says after is out of range', async () => {
    peer = await startPeer();
    peer.onConnection((socket) => {
      socket.send(event(1, { type: 'error', code: 'after_out_of_range', message: 'x' }, { ephemeral: true }));
      socket.send(delta(1));
      socket.send(ready(1));
    });
    client = connect({ url: peer.url, token: 't', after: 50 });
    const seqs: number[] = [];
    client.on('text_delta', (e) => seqs.push(e.seq));
    await until(() => seqs.length === 1);
    expect(client.lastSeq).toBe(1);
    expect(peer.connections[0]?.request.url).toContain('after=50');
  });
});
