/**
 * The broker's HTTP API for the session's changes: `GET /api/diff/files?base=` and
 * `GET /api/diff?path=&base=` (contracts in packages/contracts/src/diff.ts). Authenticated like
 * the chat (bearer header or `access_token`), but the principal needs `read` on the session, not
 * `chat`. Every query parameter is validated; failures name the parameter. Error bodies are
 * `{ "error": { code, message, issues? } }` as in the API's REST facade.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZDiffFilesQuery, ZFileDiffQuery } from '@volundr/contracts/diff';
import type { ApiError } from '@volundr/contracts/errors';
import { errorCodes } from '@volundr/contracts/errors';
import { isDomainError } from '@volundr/core/errors';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { z } from 'zod';
import type { ConnectionDecision } from '../auth/authorize-connection';
import type { WorkspaceDiff } from '../diff/workspace-diff';

export interface DiffRoutesOptions {
  diff: WorkspaceDiff;
  authorize: (request: IncomingMessage, url: URL) => Promise<ConnectionDecision>;
  logger: Logger;
}

const STATUS: Record<string, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota: 429,
  unavailable: 503,
  internal: 500,
};

/** The query as an object, without the token (it is a credential, not a parameter). */
function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    if (key === 'access_token') continue;
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
    message: issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

export function createDiffRoutes(options: DiffRoutesOptions) {
  const { diff, logger } = options;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, error: ApiError) => send(res, STATUS[errorCodes[error.code]] ?? 500, { error });

  const validationFailed = (res: ServerResponse, error: z.ZodError) => {
    const issues = issuesOf(error);
    const named = issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
    fail(res, { code: 'VALIDATION_FAILED', message: `Invalid query parameters: ${named}`, issues });
  };

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, route: string) {
    const endpoint = route === '/api/diff/files' ? 'files' : route === '/api/diff' ? 'file' : null;
    if (!endpoint) return fail(res, { code: 'NOT_FOUND', message: `No API endpoint at ${route}.` });
    if (req.method !== 'GET') {
      return send(res, 405, { error: { code: 'BAD_REQUEST', message: `${req.method} is not allowed here; use GET.` } });
    }
    const decision = await options.authorize(req, url).catch((error: unknown): ConnectionDecision => {
      logger.error({ error: (error as Error).message }, 'authorizing an API request failed');
      return { ok: false, status: 'unavailable', reason: 'authorization failed' };
    });
    if (!decision.ok) {
      const code =
        decision.status === 'unauthenticated'
          ? 'UNAUTHENTICATED'
          : decision.status === 'forbidden'
            ? 'FORBIDDEN'
            : 'DEPENDENCY_UNAVAILABLE';
      logger.info({ status: decision.status, reason: decision.reason, route }, 'API request refused');
      return fail(res, { code, message: decision.reason });
    }
    const query = queryOf(url);
    try {
      if (endpoint === 'files') {
        const parsed = ZDiffFilesQuery.safeParse(query);
        if (!parsed.success) return validationFailed(res, parsed.error);
        return send(res, 200, await diff.changedFiles(parsed.data.base));
      }
      const parsed = ZFileDiffQuery.safeParse(query);
      if (!parsed.success) return validationFailed(res, parsed.error);
      return send(res, 200, await diff.fileDiff(parsed.data.path, parsed.data.base));
    } catch (error) {
      if (isDomainError(error)) {
        const issues = Array.isArray(error.details?.issues) ? (error.details.issues as ApiError['issues']) : undefined;
        return fail(res, { code: error.code, message: error.message, ...(issues ? { issues } : {}) });
      }
      logger.error({ error: (error as Error).message, route }, 'API request failed');
      return fail(res, { code: 'INTERNAL', message: 'The broker could not answer this request.' });
    }
  }

  return {
    /** Whether `route` (the path without any `/s/<id>` prefix) belongs to the API. */
    owns: (route: string) => route === '/api' || route.startsWith('/api/'),
    handle(req: IncomingMessage, res: ServerResponse, url: URL, route: string) {
      serve(req, res, url, route).catch((error: unknown) => {
        logger.error({ error: (error as Error).message, route }, 'API request failed');
        fail(res, { code: 'INTERNAL', message: 'The broker could not answer this request.' });
      });
    },
  };
}

export type DiffRoutes = ReturnType<typeof createDiffRoutes>;
