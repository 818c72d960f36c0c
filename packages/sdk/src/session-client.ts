/**
 * Client of a session broker's HTTP API (`/s/<sessionId>/api/…` through the gateway, or the
 * broker's own `/api/…`): the session's changed files and the diff of one file. Every answer is
 * validated with the contract's schema; failures are `SessionApiError` with the API's `code`
 * (`VALIDATION_FAILED`, `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `DIFF_BASE_UNAVAILABLE`,
 * `DEPENDENCY_UNAVAILABLE`…), so callers switch on `code`, never on messages.
 */
import {
  type ChangedFiles,
  type DiffBase,
  type FileDiff,
  ZChangedFiles,
  ZDiffFilesQuery,
  ZFileDiff,
  ZFileDiffQuery,
} from '@volundr/contracts/diff';
import type { ApiError } from '@volundr/contracts/errors';
import { z } from 'zod';

export interface SessionClientOptions {
  /**
   * The session's API base: `https://host/s/<id>/api`, a same-origin path `/s/<id>/api` (then
   * `origin` is needed outside a browser page), or the broker's own `http://127.0.0.1:8081/api`.
   */
  apiUrl: string;
  /** A token, or a function giving a fresh one for each request. */
  token: string | (() => string | Promise<string>);
  /** Resolves a relative `apiUrl`. Default: the page's location in a browser. */
  origin?: string;
  fetch?: typeof fetch;
  /** Per-request time limit. Default 30 s. */
  timeoutMs?: number;
}

/**
 * The broker's error codes (docs/errors.md), the gateway's own (`SESSION_NOT_RUNNING`,
 * `SESSION_NOT_FOUND`), or this client's: `NETWORK` (no answer), `CONTRACT` (an answer that does
 * not match the contract).
 */
export type SessionApiErrorCode = ApiError['code'] | 'SESSION_NOT_RUNNING' | 'NETWORK' | 'CONTRACT' | (string & {});

/** An error body as the broker and the gateway send it (the gateway has codes of its own). */
const ZErrorBody = z.object({
  error: z.object({
    code: z.string().min(1).max(100),
    message: z.string().max(10_000),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  }),
});

export class SessionApiError extends Error {
  override readonly name = 'SessionApiError';
  constructor(
    readonly code: SessionApiErrorCode,
    message: string,
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly issues?: ApiError['issues'],
  ) {
    super(message);
  }
}

export interface SessionClient {
  changedFiles(options?: { base?: DiffBase; signal?: AbortSignal }): Promise<ChangedFiles>;
  fileDiff(path: string, options?: { base?: DiffBase; signal?: AbortSignal }): Promise<FileDiff>;
}

/** The API base of a session from its chat endpoint (`…/s/<id>/ws/chat` → `…/s/<id>/api`). */
export function sessionApiUrl(chatEndpoint: string | null | undefined, sessionId: string): string {
  const fallback = `/s/${encodeURIComponent(sessionId)}/api`;
  if (!chatEndpoint || !/\/ws\/chat\/?$/.test(chatEndpoint)) return fallback;
  return chatEndpoint
    .replace(/\/ws\/chat\/?$/, '/api')
    .replace(/^ws:/, 'http:')
    .replace(/^wss:/, 'https:');
}

export function createSessionClient(options: SessionClientOptions): SessionClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The page's location in a browser (the SDK is also built for Node, which has none).
  const pageUrl = (globalThis as { location?: { href: string } }).location?.href;
  const origin = options.origin ?? pageUrl ?? 'http://localhost/';
  const base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`, origin);

  async function get<T extends z.ZodType>(
    path: string,
    query: Record<string, string>,
    schema: T,
    signal: AbortSignal | undefined,
  ): Promise<z.output<T>> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const token = typeof options.token === 'function' ? await options.token() : options.token;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url.toString(), {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = timeout.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      throw new SessionApiError('NETWORK', `The session could not be reached: ${reason}`, 0);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = ZErrorBody.safeParse(body);
      if (error.success) {
        const { code, message, issues } = error.data.error;
        throw new SessionApiError(code, message, response.status, issues);
      }
      throw new SessionApiError(
        response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'DEPENDENCY_UNAVAILABLE',
        `The session answered ${response.status} ${response.statusText}`.trim(),
        response.status,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SessionApiError(
        'CONTRACT',
        `The session's answer does not match the contract (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
        response.status,
      );
    }
    return parsed.data;
  }

  /** The same check the broker makes, before anything is sent. */
  function valid<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: i.message,
    }));
    const named = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SessionApiError('VALIDATION_FAILED', `Invalid request: ${named}`, 0, issues);
  }

  return {
    async changedFiles(request = {}) {
      const query = valid(ZDiffFilesQuery, request.base ? { base: request.base } : {});
      return get('diff/files', { base: query.base }, ZChangedFiles, request.signal);
    },
    async fileDiff(path, request = {}) {
      const query = valid(ZFileDiffQuery, { path, ...(request.base ? { base: request.base } : {}) });
      return get('diff', { path: query.path, base: query.base }, ZFileDiff, request.signal);
    },
  };
}
