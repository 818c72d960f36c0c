import { z } from 'zod';

/**
 * Stable error codes every client may switch on. Each one is documented in docs/errors.md.
 * `kind` decides the HTTP status / tRPC code once, in the API's error middleware.
 */
export const errorCodes = {
  BAD_REQUEST: 'invalid',
  VALIDATION_FAILED: 'invalid',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  SESSION_NOT_FOUND: 'not_found',
  SESSION_INVALID_TRANSITION: 'conflict',
  SESSION_NAME_TAKEN: 'conflict',
  CONCURRENT_MODIFICATION: 'conflict',
  SPEC_CONFLICT: 'invalid',
  SPEC_INVALID: 'invalid',
  QUOTA_EXCEEDED: 'quota',
  REPO_NOT_ALLOWED: 'invalid',
  REPO_UNREACHABLE: 'invalid',
  TEMPLATE_NOT_FOUND: 'not_found',
  PROFILE_NOT_FOUND: 'not_found',
  PRESET_NOT_FOUND: 'not_found',
  MODEL_NOT_FOUND: 'invalid',
  USER_PROVISIONING: 'unavailable',
  USER_PROVISIONING_FAILED: 'unavailable',
  DEPENDENCY_UNAVAILABLE: 'unavailable',
  CONFIG_INVALID: 'invalid',
  CONTRIBUTOR_FAILED: 'unavailable',
  PRESET_NAME_TAKEN: 'conflict',
  INTEGRATION_NOT_FOUND: 'invalid',
  TENANT_NOT_FOUND: 'not_found',
  TENANT_PATH_TAKEN: 'conflict',
  TENANT_NOT_EMPTY: 'conflict',
  TENANT_LAST_ADMIN: 'conflict',
  USER_NOT_FOUND: 'not_found',
  USER_INVALID_STATE: 'conflict',
  MEMBERSHIP_NOT_FOUND: 'not_found',
  MEMBERSHIP_EXISTS: 'conflict',
  PERSONAL_ACCESS_TOKEN_NOT_FOUND: 'not_found',
  PERSONAL_ACCESS_TOKEN_NAME_TAKEN: 'conflict',
  CHRONICLE_NOT_FOUND: 'not_found',
  CREDENTIAL_NOT_FOUND: 'not_found',
  CREDENTIAL_NAME_TAKEN: 'conflict',
  GIT_PROVIDER_REFUSED: 'invalid',
  GIT_PROVIDER_RATE_LIMITED: 'unavailable',
  PULL_REQUEST_NOT_FOUND: 'not_found',
  DIFF_BASE_UNAVAILABLE: 'conflict',
  INTERNAL: 'internal',
} as const;

export type ErrorCode = keyof typeof errorCodes;
export type ErrorKind = (typeof errorCodes)[ErrorCode];
export const ZErrorCode = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]);

/** The error body of every REST response and the `data` of every tRPC error. */
export const ZApiError = z.object({
  code: ZErrorCode,
  message: z.string(),
  /** For validation errors: where in the input, and what was wrong there. */
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type ApiError = z.infer<typeof ZApiError>;
