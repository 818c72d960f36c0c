import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A stand-in for an OPA server (no OPA binary exists on these machines) that speaks the read
 * side of OPA's Data API exactly as OPA does, and decides with JavaScript the test supplies:
 *
 * - `POST /v1/data/{path}` with `{"input": ...}` → 200 `{"result": <document at path>}`;
 *   `GET /v1/data/{path}` likewise, with an optional `?input=<JSON>`.
 * - A path that names no document (an unknown package, a rule left undefined) → 200 `{}`:
 *   OPA answers an undefined document with no `result` key, not with an error.
 * - A path inside a package (`/v1/data/volundr/authz/allow`) → that value of the package's
 *   document; a path above packages (`/v1/data/volundr`) → an object nesting them.
 * - A body without an `input` key is evaluated with no input and answered with OPA's
 *   `warning: {code: "api_usage_warning"}`.
 * - Malformed JSON → 400 `{"code": "invalid_parameter", "message": ...}`; a decider that
 *   throws (what an evaluation error is in OPA) → 500 `{"code": "internal_error", ...}`.
 * - `GET /health` → 200 `{}`. Writes to the data API (PUT/PATCH/DELETE) are not supported
 *   here and answer 405 in OPA's error shape.
 */

/** Computes a package's document (an object of its rules' values) from the input. */
export type OpaPackage = (input: unknown) => Record<string, unknown>;

export interface OpaRequest {
  method: string;
  /** The document path asked for, slash-separated, e.g. `volundr/authz`. */
  path: string;
  /** The input as OPA would see it; `undefined` when none was given. */
  input: unknown;
}

export interface OpaContractServer {
  url: string;
  /** Every data API request received, in order. */
  readonly requests: OpaRequest[];
  close(): Promise<void>;
}

class OpaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the server on a free port of 127.0.0.1.
 * @param packages package name as in Rego (`volundr.authz`) → how to compute its document.
 */
export async function startOpaContractServer(packages: Record<string, OpaPackage>): Promise<OpaContractServer> {
  const mounted = Object.entries(packages).map(([name, evaluate]) => ({ segments: name.split('.'), evaluate }));
  const requests: OpaRequest[] = [];

  function documentAt(segments: string[], input: unknown): unknown {
    let tree: Record<string, unknown> | undefined;
    for (const pkg of mounted) {
      const shared = Math.min(segments.length, pkg.segments.length);
      if (!segments.slice(0, shared).every((s, i) => s === pkg.segments[i])) continue;
      const document = pkg.evaluate(input);
      if (segments.length >= pkg.segments.length) {
        // At or inside the package: descend into its document.
        return descend(document, segments.slice(pkg.segments.length));
      }
      // Above the package: nest its document under the remaining package segments.
      tree ??= {};
      let node = tree;
      const rest = pkg.segments.slice(segments.length);
      for (const segment of rest.slice(0, -1)) {
        node[segment] ??= {};
        node = node[segment] as Record<string, unknown>;
      }
      node[rest.at(-1)!] = document;
    }
    return tree;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://opa');
    if (url.pathname === '/health' && req.method === 'GET') return reply(res, 200, {});
    if (url.pathname !== '/v1/data' && !url.pathname.startsWith('/v1/data/')) {
      throw new OpaError(404, 'resource_not_found', `${url.pathname} is not an OPA API this server speaks`);
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new OpaError(405, 'invalid_parameter', `${req.method} on the data API is not supported by this server`);
    }
    const segments = url.pathname
      .slice('/v1/data'.length)
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);

    let input: unknown;
    let warning: { code: string; message: string } | undefined;
    if (req.method === 'POST') {
      const text = await readBody(req);
      if (text.trim() !== '') {
        const body = parseJson(text, 'body contains malformed input document');
        if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'input' in body) {
          input = (body as { input: unknown }).input;
        } else {
          warning = { code: 'api_usage_warning', message: "'input' key missing from the request" };
        }
      }
    } else {
      const raw = url.searchParams.get('input');
      if (raw !== null) input = parseJson(raw, 'input parameter contains malformed input document');
    }

    const path = segments.join('/');
    requests.push({ method: req.method, path, input });
    let result: unknown;
    try {
      result = documentAt(segments, input);
    } catch (error) {
      throw new OpaError(500, 'internal_error', error instanceof Error ? error.message : String(error));
    }
    const answer: Record<string, unknown> = {};
    if (result !== undefined) answer.result = result;
    if (warning) answer.warning = warning;
    reply(res, 200, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof OpaError) reply(res, error.status, { code: error.code, message: error.message });
      else reply(res, 500, { code: 'internal_error', message: String(error) });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function descend(document: unknown, path: string[]): unknown {
  let node = document;
  for (const segment of path) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (typeof node === 'object' && node !== null && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return node;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OpaError(400, 'invalid_parameter', `${what}: ${(error as Error).message}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
