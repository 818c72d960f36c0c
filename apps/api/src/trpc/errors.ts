import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { ApiError, ErrorCode, ErrorKind } from '@volundr/contracts/errors';
import { isDomainError } from '@volundr/core/errors';
import { z } from 'zod';

/** The one place domain error kinds become transport codes. */
export const trpcCodeOfKind: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  quota: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
};

const codeOfTrpc: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
};

/** Turns anything a procedure threw into the API's error body. Non-domain errors are internal (a bug). */
export function toApiError(error: TRPCError, requestId?: string): ApiError {
  const cause = error.cause;
  // A ZodError is the client's input only when tRPC says so: an output that fails its schema
  // is an internal error (a bug here), and its issues are not the client's business.
  if (cause instanceof z.ZodError && error.code !== 'INTERNAL_SERVER_ERROR') {
    return {
      code: 'VALIDATION_FAILED',
      message: summarizeIssues(cause),
      issues: cause.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
      ...(requestId ? { requestId } : {}),
    };
  }
  if (isDomainError(cause)) {
    // Use cases validate their input too (they are called from more than the API): their
    // VALIDATION_FAILED carries the field paths in details.issues.
    const issues = cause.code === 'VALIDATION_FAILED' ? domainIssues(cause.details?.issues) : undefined;
    return {
      code: cause.code,
      message: cause.message,
      ...(issues ? { issues } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }
  const code = codeOfTrpc[error.code] ?? 'INTERNAL';
  const message = code === 'INTERNAL' ? 'Internal error; it has been logged with the request id.' : error.message;
  return { code, message, ...(requestId ? { requestId } : {}) };
}

const ZDomainIssues = z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }));

function domainIssues(value: unknown): ApiError['issues'] {
  const parsed = ZDomainIssues.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function summarizeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Invalid input';
  const where = first.path.length ? first.path.map(String).join('.') : 'input';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}: ${first.message}${more}`;
}

/** Re-throws domain errors as TRPCErrors with the right code, keeping the domain error as cause. */
export function mapDomainError(error: unknown): never {
  if (isDomainError(error)) {
    throw new TRPCError({ code: trpcCodeOfKind[error.kind], message: error.message, cause: error });
  }
  throw error;
}
