import { Agent, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Where a request goes: an upstream origin and the path to ask it for. */
export interface ProxyTarget {
  host: string;
  port: number;
  path: string;
  /** Request headers to drop or replace on the way up (lower-case names), e.g. credentials. */
  headers?: { remove?: readonly string[]; set?: Readonly<Record<string, string>> };
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function forwardedHeaders(req: IncomingMessage, keepUpgrade: boolean, target: ProxyTarget): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  const connectionTokens = new Set(
    String(req.headers.connection ?? '')
      .toLowerCase()
      .split(',')
      .map((t) => t.trim()),
  );
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (
      (HOP_BY_HOP.has(name) || connectionTokens.has(name)) &&
      !(keepUpgrade && (name === 'upgrade' || name === 'connection'))
    )
      continue;
    headers[name] = value;
  }
  const peer = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${peer}` : peer;
  headers['x-forwarded-host'] = req.headers['x-forwarded-host'] ?? req.headers.host ?? '';
  headers['x-forwarded-proto'] = req.headers['x-forwarded-proto'] ?? 'http';
  for (const name of target.headers?.remove ?? []) delete headers[name];
  Object.assign(headers, target.headers?.set);
  return headers;
}

export interface UnavailableBody {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * Streams one HTTP request to the target and the answer back, without buffering (SSE and large
 * downloads pass through as they come). If the upstream cannot be reached the client gets
 * `unavailable` (by default a 502 JSON error) instead of a hung request.
 */
export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  unavailable?: UnavailableBody,
): void {
  const upstream = request(
    {
      host: target.host,
      port: target.port,
      path: target.path,
      method: req.method,
      headers: forwardedHeaders(req, false, target),
      agent,
    },
    (upstreamRes) => {
      const headers = { ...upstreamRes.headers };
      for (const name of HOP_BY_HOP) delete headers[name];
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, headers);
      res.flushHeaders();
      upstreamRes.pipe(res);
      upstreamRes.on('error', () => res.destroy());
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) return void res.destroy();
    const answer = unavailable ?? {
      status: 502,
      body: JSON.stringify({
        error: {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: 'The upstream service is not reachable right now; retry in a moment.',
        },
      }),
      headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
    };
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Proxies a WebSocket (or any HTTP upgrade) by splicing the two sockets after the upstream's 101. */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget): void {
  const upstream = request({
    host: target.host,
    port: target.port,
    path: target.path,
    method: req.method,
    headers: forwardedHeaders(req, true, target),
  });
  upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${upstreamRes.statusCode} ${upstreamRes.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < upstreamRes.rawHeaders.length; i += 2) {
      lines.push(`${upstreamRes.rawHeaders[i]}: ${upstreamRes.rawHeaders[i + 1]}`);
    }
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.pipe(socket);
    socket.pipe(upstreamSocket);
    const end = () => {
      upstreamSocket.destroy();
      socket.destroy();
    };
    upstreamSocket.on('error', end);
    socket.on('error', end);
    upstreamSocket.on('close', end);
    socket.on('close', end);
  });
  upstream.on('response', (upstreamRes) => {
    // The upstream refused the upgrade: relay its answer and close.
    const lines = [`HTTP/1.1 ${upstreamRes.statusCode} ${upstreamRes.statusMessage ?? ''}`];
    for (let i = 0; i < upstreamRes.rawHeaders.length; i += 2) {
      const name = upstreamRes.rawHeaders[i]!;
      if (HOP_BY_HOP.has(name.toLowerCase())) continue;
      lines.push(`${name}: ${upstreamRes.rawHeaders[i + 1]}`);
    }
    lines.push('connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    upstreamRes.pipe(socket);
  });
  upstream.on('error', () => {
    socket.end(
      'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nupstream not reachable\n',
    );
  });
  socket.on('error', () => upstream.destroy());
  upstream.end();
}
