import {
  createTRPCUntypedClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCUntypedClient,
} from '@trpc/client';
import type { AppRouter } from '@volundr/api/routers/app-router';
import { FetchEventSource, type FetchEventSourceInit } from './fetch-event-source';
import { type InputOf, type OutputOf, type PathOfKind, type ProcedurePath, procedures } from './procedures';

/** A response that does not match the contract: the API and this app disagree. */
export class ContractError extends Error {
  constructor(path: string, detail: string) {
    super(`The API answered ${path} with data this version of the app does not understand (${detail}).`);
    this.name = 'ContractError';
  }
}

export type SubscriptionState = 'connecting' | 'live' | 'idle';

export interface SubscriptionHandlers<T> {
  /** `id` is the event id of a tracked subscription (what a resume passes as `lastEventId`). */
  onData(data: T, id: string | undefined): void;
  onError(error: unknown): void;
  /** `connecting` covers (re)connection attempts; `error` says why the last one failed. */
  onState?(state: SubscriptionState, error: unknown): void;
}

export interface Api {
  query<P extends PathOfKind<'query'>>(path: P, input: InputOf<P>, signal?: AbortSignal): Promise<OutputOf<P>>;
  mutate<P extends PathOfKind<'mutation'>>(path: P, input: InputOf<P>): Promise<OutputOf<P>>;
  subscribe<P extends PathOfKind<'subscription'>>(
    path: P,
    input: InputOf<P>,
    handlers: SubscriptionHandlers<OutputOf<P>>,
  ): () => void;
}

function check<P extends ProcedurePath>(path: P, value: unknown): OutputOf<P> {
  const parsed = procedures[path].output.safeParse(value);
  if (parsed.success) return parsed.data as OutputOf<P>;
  const issue = parsed.error.issues[0];
  throw new ContractError(path, issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid');
}

/** Tracked subscription data arrives as `{ id, data }`; untracked as the bare value. */
function untrack(value: unknown): { id: string | undefined; data: unknown } {
  if (typeof value === 'object' && value !== null && 'id' in value && 'data' in value) {
    const { id, data } = value as { id: unknown; data: unknown };
    if (typeof id === 'string') return { id, data };
  }
  return { id: undefined, data: value };
}

export function createApi(client: TRPCUntypedClient<AppRouter>): Api {
  return {
    async query(path, input, signal) {
      return check(path, await client.query(path, input, signal ? { signal } : {}));
    },
    async mutate(path, input) {
      return check(path, await client.mutation(path, input));
    },
    subscribe(path, input, handlers) {
      const subscription = client.subscription(path, input, {
        onData(value) {
          const { id, data } = untrack(value);
          let checked: OutputOf<typeof path>;
          try {
            checked = check(path, data);
          } catch (error) {
            handlers.onError(error);
            return;
          }
          handlers.onData(checked, id);
        },
        onError: (error) => handlers.onError(error),
        onConnectionStateChange(state) {
          handlers.onState?.(state.state === 'pending' ? 'live' : state.state, state.error);
        },
      });
      return () => subscription.unsubscribe();
    },
  };
}

export interface TransportOptions {
  /** Same origin by default (`/trpc` behind the front door). */
  baseUrl?: string;
  /** The current bearer token, fresh (renewed if needed); null when signed out. */
  accessToken(): Promise<string | null>;
}

/** The tRPC transport: batched HTTP for queries and mutations, SSE for subscriptions. */
export function createTransport(options: TransportOptions): TRPCUntypedClient<AppRouter> {
  const url = options.baseUrl ?? '/trpc';
  const authorization = async (): Promise<Record<string, string>> => {
    const token = await options.accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  return createTRPCUntypedClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource: FetchEventSource,
          eventSourceOptions: (): FetchEventSourceInit => ({ headers: authorization }),
        }),
        false: httpBatchLink({ url, headers: authorization, maxURLLength: 4000 }),
      }),
    ],
  });
}
