import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed client-node call (0 when the server was not reached). */
export function statusOf(error: unknown): number {
  if (error instanceof ApiException) return error.code;
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code;
  return typeof code === 'number' ? code : 0;
}

export const isNotFound = (error: unknown) => statusOf(error) === 404;
export const isConflict = (error: unknown) => statusOf(error) === 409;

/** The API server's own message (`Pod "x" is invalid: …`) rather than client-node's wrapper text. */
export function kubeMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === 'string') return parsed.message;
      } catch {
        if (body.trim()) return body.trim().slice(0, 500);
      }
    } else if (body && typeof (body as { message?: unknown }).message === 'string') {
      return (body as { message: string }).message;
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs `create`; an existing object (409) is fine. */
export async function createIfMissing(create: () => Promise<unknown>): Promise<'created' | 'exists'> {
  try {
    await create();
    return 'created';
  } catch (error) {
    if (isConflict(error)) return 'exists';
    throw error;
  }
}

/** Runs `call`; a missing object (404) is fine. */
export async function ignoreNotFound(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export const deleteIfExists = ignoreNotFound;
