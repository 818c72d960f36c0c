import { TRPCClientError } from '@trpc/client';
import { type ApiError, ZApiError } from '@volundr/contracts/errors';
import type { TokenSource } from '../auth/token-source';
import { CliError, exitCodes } from '../output';

/** The API's error body, from a tRPC error's `data.apiError` or a REST `{ error }` body. */
export function apiErrorOf(value: unknown): ApiError | null {
  const parsed = ZApiError.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const hints: Partial<Record<ApiError['code'], string>> = {
  DEPENDENCY_UNAVAILABLE: 'retry in a moment',
  USER_PROVISIONING: 'your account is being set up: retry in a moment',
  USER_PROVISIONING_FAILED: 'ask an administrator to look at your account',
  QUOTA_EXCEEDED: 'stop a session you no longer need: volundr sessions ls',
  SESSION_INVALID_TRANSITION: 'see its state: volundr sessions show SESSION',
};

/** One line for an error the API answered with (issues of a validation error are appended). */
export function describeApiError(error: ApiError): string {
  const issues = (error.issues ?? [])
    .slice(0, 3)
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  return issues ? `${error.message} (${issues})` : error.message;
}

/** An error the API answered with: a CliError that still knows the API's code. */
export class ApiCallError extends CliError {
  constructor(
    readonly apiError: ApiError,
    message: string,
    hint: string | undefined,
    exitCode: number,
  ) {
    super(message, hint, exitCode);
  }

  get code(): ApiError['code'] {
    return this.apiError.code;
  }
}

export function cliErrorOfApiError(error: ApiError, tokens: TokenSource | null, server: string): ApiCallError {
  if (error.code === 'UNAUTHENTICATED') {
    return new ApiCallError(
      error,
      `${server} refused your credentials: ${error.message}`,
      tokens?.hint ?? 'log in with: volundr login',
      exitCodes.unauthenticated,
    );
  }
  return new ApiCallError(error, describeApiError(error), hints[error.code], exitCodes.failure);
}

/** Turns whatever a call to the API threw into one line for a person. */
export function apiFailure(error: unknown, procedure: string, server: string, tokens: TokenSource | null): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TRPCClientError) {
    if (error.cause instanceof CliError) return error.cause;
    const data = (error.data ?? {}) as { code?: unknown; httpStatus?: unknown; apiError?: unknown };
    if (data.code === 'NOT_FOUND' && /no procedure found/i.test(error.message)) {
      return new CliError(
        `${server} does not offer ${procedure}`,
        'the server may be older than this CLI; update it, or use a matching CLI',
      );
    }
    const apiError = apiErrorOf(data.apiError);
    if (apiError) return cliErrorOfApiError(apiError, tokens, server);
    if (data.httpStatus === 401)
      return cliErrorOfApiError({ code: 'UNAUTHENTICATED', message: error.message }, tokens, server);
    // No tRPC error body: something else answered (a proxy, another program on that port).
    const status = (error.meta as { response?: { status?: unknown } } | undefined)?.response?.status;
    return new CliError(
      `${server} did not answer ${procedure} as a Volundr server does (${typeof status === 'number' ? `HTTP ${status}: ` : ''}${error.message.split('\n')[0]})`,
      'is this the address of a Volundr server? (see: volundr context ls)',
    );
  }
  return new CliError(`${procedure} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
