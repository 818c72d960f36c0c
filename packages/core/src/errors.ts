import { type ErrorCode, type ErrorKind, errorCodes } from '@volundr/contracts/errors';

export type { ErrorCode, ErrorKind };

/**
 * The only error type the core throws on purpose. `code` is stable (docs/errors.md) and the
 * message is written for the person who will read it. Anything else escaping a use case is a bug.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.kind = errorCodes[code];
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
