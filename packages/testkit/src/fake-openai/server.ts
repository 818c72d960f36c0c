/**
 * A fake OpenAI Responses API for running the real `codex` binary offline, configured as a
 * custom model provider (`base_url = <url>/v1`, `wire_api = "responses"`). It answers
 * `POST /v1/responses` as SSE (or JSON when not streamed) from a script, `GET /v1/models`, and
 * refuses WebSocket upgrades so Codex stays on HTTP. Main-line requests consume the script in
 * order; an exhausted script answers 400, so nothing hangs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignals, readBody, sendJson, sleepUnlessClosed } from '../fake-anthropic/http-helpers';
import { formatSse } from '../fake-anthropic/message-events';
import { isMainResponsesRequest, type ResponsesRequest, ZResponsesRequest } from './request';
import { buildResponse } from './response-events';
import { defaultOpenAIUsage, type OpenAIStep, type OpenAIUsage } from './script';

export type RecordedOpenAIRequestKind = 'main' | 'auxiliary' | 'models' | 'unknown';

export interface RecordedOpenAIRequest {
  no: number;
  method: string;
  path: string;
  kind: RecordedOpenAIRequestKind;
  body: unknown;
  stepIndex?: number;
  usage?: OpenAIUsage;
}

export interface FakeOpenAIOptions {
  script?: OpenAIStep[];
  usage?: Partial<OpenAIUsage>;
  auxiliaryText?: string;
  isMain?: (body: ResponsesRequest) => boolean;
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, as Codex's `model_providers.<id>.base_url` wants it. */
  url: string;
  requests: RecordedOpenAIRequest[];
  mainRequests(): RecordedOpenAIRequest[];
  setScript(steps: OpenAIStep[]): void;
  release(): void;
  waitForHold(timeoutMs?: number): Promise<void>;
  waitForMainRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let script = options.script ?? [];
  let cursor = 0;
  const baseUsage = { ...defaultOpenAIUsage, ...options.usage };
  const isMain = options.isMain ?? isMainResponsesRequest;
  const requests: RecordedOpenAIRequest[] = [];
  const signals = createSignals('fake-openai');
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendError(res, 500, `fake-openai: ${err instanceof Error ? err.message : String(err)}`, 'server_error');
    });
  });
  // Codex tries the Responses WebSocket transport for some providers; refuse so it uses HTTP.
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const no = requests.length + 1;
    const raw = await readBody(req);
    if (raw === null) return sendError(res, 413, 'Request body too large', 'request_too_large');
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        requests.push({ no, method, path, kind: 'unknown', body: raw });
        return sendError(res, 400, 'Request body is not valid JSON', 'invalid_json');
      }
    }
    const record = (kind: RecordedOpenAIRequestKind, extra: Partial<RecordedOpenAIRequest> = {}) => {
      requests.push({ no, method, path, kind, body, ...extra });
      signals.notify();
    };

    if (method === 'GET' && path === '/v1/models') {
      record('models');
      const data = ['gpt-5.5', 'gpt-5.6-terra'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (method === 'POST' && path === '/v1/responses') {
      const parsed = ZResponsesRequest.safeParse(body);
      if (!parsed.success) {
        record('unknown');
        const text = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        return sendError(res, 400, text, 'invalid_request');
      }
      const request = parsed.data;
      if (!isMain(request)) {
        const usage = { ...baseUsage, output_tokens: 1 };
        record('auxiliary', { usage });
        return answer(res, request, { text: options.auxiliaryText ?? 'ok' }, no, usage);
      }
      const stepIndex = cursor;
      const step = script[stepIndex];
      if (!step) {
        record('main');
        return sendError(res, 400, `fake-openai: script exhausted (${script.length} steps) at request #${no}`);
      }
      cursor += 1;
      const usage = { ...baseUsage, ...step.usage };
      record('main', { stepIndex, usage });
      if (step.error) return sendError(res, step.error.status, step.error.message, step.error.code);
      return answer(res, request, step, no, usage);
    }
    record('unknown');
    return sendError(res, 404, `fake-openai: no route for ${method} ${path}`, 'not_found');
  }

  async function answer(
    res: ServerResponse,
    request: ResponsesRequest,
    step: OpenAIStep,
    requestNo: number,
    usage: OpenAIUsage,
  ) {
    const built = buildResponse(step, { requestNo, model: request.model, usage });
    if (request.stream === false) {
      if (step.delayMs) await sleepUnlessClosed(res, step.delayMs);
      return sendJson(res, 200, built.response);
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 0; i < built.events.length; i++) {
      if (res.destroyed || closed) return;
      if (i === built.preambleLength && step.delayMs) await sleepUnlessClosed(res, step.delayMs);
      if (i === built.holdAfter && step.hold) await signals.hold(res);
      if (res.destroyed || closed) return;
      const event = built.events[i];
      if (event) res.write(formatSse(event));
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    mainRequests: () => requests.filter((r) => r.kind === 'main'),
    setScript(steps) {
      script = steps;
      cursor = 0;
    },
    release() {
      signals.releaseAll();
    },
    waitForHold: (timeoutMs = 10_000) => signals.waitFor(() => signals.held.size > 0, 'a held response', timeoutMs),
    waitForMainRequests: (count, timeoutMs = 10_000) =>
      signals.waitFor(
        () => requests.filter((r) => r.kind === 'main').length >= count,
        `${count} main requests`,
        timeoutMs,
      ),
    async close() {
      closed = true;
      signals.releaseAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendError(res: ServerResponse, status: number, message: string, code = 'invalid_request_error') {
  sendJson(res, status, { error: { message, type: 'invalid_request_error', param: null, code } });
}
