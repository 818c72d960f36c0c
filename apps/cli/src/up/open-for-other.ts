import type { GatewayRefusal } from '@volundr/adapter-local/gateway/session-gateway';

const UNRECORDABLE =
  "Opening another user's session is recorded in the audit log, which cannot be reached right now; try again shortly.";

/**
 * The front door's answer to "may this user open that service of another user's session?":
 * the API's `POST /api/v1/sessions/{id}/access`, which decides and audits it. No API (starting,
 * restarting) or no answer within 5 s is a refusal: such access never happens unrecorded.
 */
export function openForOtherThroughApi(apiUrl: () => string | null) {
  return async (request: { token: string; sessionId: string; service: string }): Promise<GatewayRefusal | null> => {
    const base = apiUrl();
    if (!base) return { status: 503, code: 'DEPENDENCY_UNAVAILABLE', message: UNRECORDABLE };
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/sessions/${encodeURIComponent(request.sessionId)}/access`, {
        method: 'POST',
        headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ service: request.service }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      return { status: 503, code: 'DEPENDENCY_UNAVAILABLE', message: UNRECORDABLE };
    }
    if (response.ok) {
      await response.body?.cancel();
      return null;
    }
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    const message = body?.error?.message ?? `The API refused (${response.status}).`;
    if (response.status === 401) return { status: 401, code: 'UNAUTHENTICATED', message };
    if (response.status === 403) return { status: 403, code: 'FORBIDDEN', message };
    if (response.status === 404) return { status: 404, code: 'SESSION_NOT_FOUND', message };
    return { status: 503, code: 'DEPENDENCY_UNAVAILABLE', message: UNRECORDABLE };
  };
}
