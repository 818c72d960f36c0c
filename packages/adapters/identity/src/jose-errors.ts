import { DomainError } from '@volundr/core/errors';
import { errors } from 'jose';

/**
 * Translates a jose failure (or throws what is not one) into a DomainError that says why, without any of the token's
 * contents (jose's claim errors carry the payload: it is dropped here on purpose).
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof errors.JWTExpired) return new DomainError('UNAUTHENTICATED', 'token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return new DomainError('UNAUTHENTICATED', 'token is not yet valid (nbf)');
      case 'iat':
        return new DomainError('UNAUTHENTICATED', 'token was issued in the future (iat)');
      case 'iss':
        return new DomainError('UNAUTHENTICATED', 'token issuer is not accepted');
      case 'aud':
        return new DomainError('UNAUTHENTICATED', 'token audience is not accepted');
      case 'exp':
      case 'sub':
        return new DomainError('UNAUTHENTICATED', `token is missing the required "${error.claim}" claim`);
      default:
        return new DomainError('UNAUTHENTICATED', `token claim "${error.claim}" is invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new DomainError('UNAUTHENTICATED', 'token signing algorithm is not allowed');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new DomainError('UNAUTHENTICATED', "token signing key is not in the issuer's key set (unknown kid)");
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return new DomainError('UNAUTHENTICATED', "token names no kid and the issuer's key set has several candidates");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new DomainError('UNAUTHENTICATED', 'token signature is invalid');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new DomainError('UNAUTHENTICATED', 'token is not a well-formed signed JWT');
  }
  // The key set being unreachable or broken is not the caller's fault: 503, not 401.
  if (error instanceof errors.JWKSTimeout) {
    return new DomainError('DEPENDENCY_UNAVAILABLE', 'identity provider key set timed out');
  }
  if (error instanceof errors.JOSEError || isFetchFailure(error)) {
    return new DomainError('DEPENDENCY_UNAVAILABLE', 'identity provider key set could not be loaded');
  }
  // Not a token or network problem: a bug, left for the API to report as one.
  throw error;
}

const isFetchFailure = (error: unknown) => error instanceof TypeError && /fetch failed|network/i.test(error.message);
