/**
 * A fake Anthropic Messages API for running the real `claude` binary offline. It answers what
 * Claude Code 2.1 asks of `ANTHROPIC_BASE_URL` (recorded in docs/transports.md): a `HEAD /`
 * reachability probe, `POST /v1/messages?beta=true` streamed as SSE (or JSON when not streamed),
 * `POST /v1/messages/count_tokens` and `GET /v1/models`. Main-line requests consume the script
 * in order; auxiliary ones get a short canned answer. Nothing ever hangs: an exhausted script
 * answers 400 and `close()` ends held responses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignals, readBody, sendJson, sleepUnlessClosed } from './http-helpers';
import { buildMessage, formatSse } from './message-events';
import { estimateTokens, isMainRequest, type MessagesRequest, ZCountTokensRequest, ZMessagesRequest } from './request';
import { type AnthropicStep, type AnthropicUsage, defaultAnthropicUsage } from './script';

export type RecordedRequestKind = 'main' | 'auxiliary' | 'count_tokens' | 'models' | 'probe' | 'unknown';

export interface RecordedAnthropicRequest {
  /** 1-based order of arrival over all requests. */
  no: number;
  method: string;
  path: string;
  kind: RecordedRequestKind;
  /** Parsed JSON body (undefined for bodiless requests). */
  body: unknown;
  /** Index of the script step that answered it (main requests only). */
  stepIndex?: number;
  /** The usage the fake reported in its answer. */
  usage?: AnthropicUsage;
}

export interface FakeAnthropicOptions {
  script?: AnthropicStep[];
  /** Default usage of every answer (steps may override fields). */
  usage?: Partial<AnthropicUsage>;
  /** Text of auxiliary answers (title generation and similar). */
  auxiliaryText?: string;
  /** Decides which requests consume script steps; defaults to "has a tool list". */
  isMain?: (body: MessagesRequest) => boolean;
}

export interface FakeAnthropic {
  /** Base URL for `ANTHROPIC_BASE_URL` (no trailing slash). */
  url: string;
  requests: RecordedAnthropicRequest[];
  /** Main-line requests only, in order (one per consumed step). */
  mainRequests(): RecordedAnthropicRequest[];
  /** Replace the script; the next main request takes its first step. */
  setScript(steps: AnthropicStep[]): void;
  /** Let every currently held response (steps with `hold`) finish. */
  release(): void;
  /** Resolves once a response is being held (or rejects after `timeoutMs`). */
  waitForHold(timeoutMs?: number): Promise<void>;
  /** Resolves once `count` main requests have arrived (or rejects after `timeoutMs`). */
  waitForMainRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  let script = options.script ?? [];
  let cursor = 0;
  const baseUsage = { ...defaultAnthropicUsage, ...options.usage };
  const isMain = options.isMain ?? isMainRequest;
  const requests: RecordedAnthropicRequest[] = [];
  const signals = createSignals('fake-anthropic');
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendError(res, 500, 'api_error', `fake-anthropic: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const no = requests.length + 1;
    const raw = await readBody(req);
    if (raw === null) return sendError(res, 413, 'request_too_large', 'Request body too large');
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        requests.push({ no, method, path, kind: 'unknown', body: raw });
        return sendError(res, 400, 'invalid_request_error', 'Request body is not valid JSON');
      }
    }
    const record = (kind: RecordedRequestKind, extra: Partial<RecordedAnthropicRequest> = {}) => {
      const r: RecordedAnthropicRequest = { no, method, path, kind, body, ...extra };
      requests.push(r);
      signals.notify();
      return r;
    };

    if ((method === 'HEAD' || method === 'GET') && path === '/') {
      record('probe');
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(method === 'HEAD' ? undefined : 'ok');
    }
    if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
      record('models');
      const model = (id: string) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2026-01-01T00:00:00Z',
      });
      if (path === '/v1/models') {
        const data = ['claude-sonnet-4-5', 'claude-opus-4-8', 'claude-haiku-4-5'].map(model);
        return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id });
      }
      return sendJson(res, 200, model(decodeURIComponent(path.slice('/v1/models/'.length))));
    }
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      record('count_tokens');
      const parsed = ZCountTokensRequest.safeParse(body);
      if (!parsed.success) return sendError(res, 400, 'invalid_request_error', issuesText(parsed.error.issues));
      return sendJson(res, 200, { input_tokens: estimateTokens(parsed.data.messages) });
    }
    if (method === 'POST' && path === '/v1/messages') {
      const parsed = ZMessagesRequest.safeParse(body);
      if (!parsed.success) {
        record('unknown');
        return sendError(res, 400, 'invalid_request_error', issuesText(parsed.error.issues));
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
        return sendError(
          res,
          400,
          'invalid_request_error',
          `fake-anthropic: script exhausted (${script.length} steps) at request #${no}`,
        );
      }
      cursor += 1;
      const usage = { ...baseUsage, ...step.usage };
      record('main', { stepIndex, usage });
      if (step.error) return sendError(res, step.error.status, step.error.type, step.error.message);
      return answer(res, request, step, no, usage);
    }
    record('unknown');
    return sendError(res, 404, 'not_found_error', `fake-anthropic: no route for ${method} ${path}`);
  }

  async function answer(
    res: ServerResponse,
    request: MessagesRequest,
    step: AnthropicStep,
    requestNo: number,
    usage: AnthropicUsage,
  ) {
    const built = buildMessage(step, { requestNo, model: request.model, usage });
    if (!request.stream) {
      if (step.delayMs) await sleepUnlessClosed(res, step.delayMs);
      return sendJson(res, 200, built.message);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${requestNo}`,
    });
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
    url: `http://127.0.0.1:${port}`,
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

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  sendJson(res, status, { type: 'error', error: { type, message } });
}

function issuesText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
}
