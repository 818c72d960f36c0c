import { type ApiError, ZApiError } from '@volundr/contracts/errors';

/**
 * What the UI needs to know about a failed call, from whatever was thrown: a tRPC client error
 * carrying the API's error body (`data.apiError`), a network failure, or anything else.
 */
export interface UiError {
  /** The API's stable code, `NETWORK` when the API could not be reached, `UNKNOWN` otherwise. */
  code: ApiError['code'] | 'NETWORK' | 'UNKNOWN';
  message: string;
  issues: NonNullable<ApiError['issues']>;
  requestId?: string;
  /** The API has no such procedure (an older API, or a feature not built yet). */
  procedureMissing: boolean;
}

const MISSING_PROCEDURE = /No "?[a-z]*"?-?procedure (?:found )?on path/i;

function dataOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { data?: unknown }).data;
}

export function toUiError(error: unknown): UiError {
  const data = dataOf(error);
  const parsed = ZApiError.safeParse((data as { apiError?: unknown } | undefined)?.apiError);
  const message = error instanceof Error ? error.message : String(error);
  if (parsed.success) {
    const api = parsed.data;
    return {
      code: api.code,
      message: api.message,
      issues: api.issues ?? [],
      ...(api.requestId ? { requestId: api.requestId } : {}),
      procedureMissing: api.code === 'NOT_FOUND' && MISSING_PROCEDURE.test(api.message),
    };
  }
  const httpStatus = (data as { httpStatus?: unknown } | undefined)?.httpStatus;
  // fetch's TypeError ("Failed to fetch") or a proxy's 502/503 while the API restarts.
  const network =
    (error instanceof TypeError && !data) ||
    /Failed to fetch|NetworkError|Load failed|fetch failed/i.test(message) ||
    httpStatus === 502 ||
    httpStatus === 503;
  return {
    code: network ? 'NETWORK' : 'UNKNOWN',
    message: network ? 'The Volundr API cannot be reached right now.' : message || 'Something went wrong.',
    issues: [],
    procedureMissing: MISSING_PROCEDURE.test(message),
  };
}

/**
 * Field errors keyed by the dotted input path (`source.repo`, `resources.cpu`), first message
 * per path. Issues without a path land under `''` (a form-level error).
 */
export function fieldErrors(issues: UiError['issues']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
