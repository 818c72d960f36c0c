/** Why a policy engine could not be asked; the adapters turn it into a deny with this as the reason. */
export class PolicyEngineUnavailable extends Error {
  override readonly name = 'PolicyEngineUnavailable';
}

export interface JsonReply {
  status: number;
  body: unknown;
}

/**
 * POST a JSON body and read a JSON answer within `timeoutMs`. Any failure to get a JSON answer
 * (refused, timed out, not JSON) is a `PolicyEngineUnavailable` naming what went wrong; the
 * HTTP status is left to the caller, which knows the engine's error shapes.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<JsonReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new PolicyEngineUnavailable(`${url}: ${describeFetchError(error, timeoutMs)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new PolicyEngineUnavailable(`${url}: reading the answer failed: ${describeFetchError(error, timeoutMs)}`);
  }
  try {
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    throw new PolicyEngineUnavailable(
      `${url}: answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
    }
    return error.message;
  }
  return String(error);
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
