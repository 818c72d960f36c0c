import type { z } from 'zod';
import { CliError } from '../output';
import type { ApiClient } from './api-client';
import { apiErrorOf, cliErrorOfApiError } from './api-errors';
import { type InputOf, type OutputOf, type PathOfKind, procedures } from './procedures';
import { readSse } from './sse-reader';

export interface SubscriptionHandlers<T> {
  /** The server accepted the subscription (tRPC's `connected` event). */
  onConnected?: () => void;
  onData: (data: T, id: string | undefined) => void;
}

/**
 * One tRPC subscription over Server-Sent Events (`GET /trpc/<path>?input=…`), as tRPC's
 * httpSubscriptionLink speaks it: `connected`, data messages with `id:` for tracked events,
 * `ping`, `serialized-error`, `return`. Resolves when the server ends the stream or `signal`
 * aborts; rejects with a CliError on an error from the server. Every datum is validated.
 */
export async function subscribe<P extends PathOfKind<'subscription'>>(
  api: ApiClient,
  path: P,
  input: InputOf<P>,
  handlers: SubscriptionHandlers<OutputOf<P>>,
  signal: AbortSignal,
): Promise<void> {
  const schema = procedures[path].output as unknown as z.ZodType<OutputOf<P>>;
  const checked = api.checkedInput(path, input);
  const query = checked === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(checked))}`;
  const response = await api.fetch(`/trpc/${path}${query}`, { headers: { accept: 'text/event-stream' } }, { signal });
  if (!response.ok || !response.body) {
    const body = (await api.json(response, path)) as { error?: { data?: { apiError?: unknown } } } | null;
    const apiError = apiErrorOf(body?.error?.data?.apiError);
    if (apiError) throw cliErrorOfApiError(apiError, api.tokens, api.server);
    throw api.restError(response, body);
  }
  try {
    for await (const message of readSse(response.body)) {
      if (message.event === 'ping') continue;
      if (message.event === 'connected') {
        handlers.onConnected?.();
        continue;
      }
      if (message.event === 'return') return;
      if (message.event === 'serialized-error') {
        const shape = JSON.parse(message.data) as { message?: string; data?: { apiError?: unknown } };
        const apiError = apiErrorOf(shape.data?.apiError);
        if (apiError) throw cliErrorOfApiError(apiError, api.tokens, api.server);
        throw new CliError(`${path} failed on the server: ${shape.message ?? 'unknown error'}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        throw new CliError(`${api.server} sent a ${path} event that is not JSON`);
      }
      handlers.onData(api.validate(schema, json, `${path} event`), message.id);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}
