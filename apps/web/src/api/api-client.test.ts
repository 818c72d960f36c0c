import type { TRPCUntypedClient } from '@trpc/client';
import type { AppRouter } from '@volundr/api/routers/app-router';
import { describe, expect, it } from 'vitest';
import { aSession } from '../test/session-builder';
import { ContractError, createApi } from './api-client';

type Observer = {
  onData?: (v: unknown) => void;
  onError?: (e: unknown) => void;
  onConnectionStateChange?: (s: unknown) => void;
};

/** A test double of the tRPC transport: answers from a table, records calls. */
function fakeTransport(answers: Record<string, unknown>) {
  const calls: Array<{ kind: string; path: string; input: unknown }> = [];
  let observer: Observer = {};
  const client = {
    query: async (path: string, input: unknown) => {
      calls.push({ kind: 'query', path, input });
      return answers[path];
    },
    mutation: async (path: string, input: unknown) => {
      calls.push({ kind: 'mutation', path, input });
      return answers[path];
    },
    subscription: (path: string, input: unknown, opts: Observer) => {
      calls.push({ kind: 'subscription', path, input });
      observer = opts;
      return { unsubscribe: () => calls.push({ kind: 'unsubscribe', path, input }) };
    },
  };
  return { client: client as unknown as TRPCUntypedClient<AppRouter>, calls, observer: () => observer };
}

const event = {
  id: '7',
  sessionId: 's-1',
  tenantId: 't',
  ownerId: 'u',
  createdAt: '2026-01-01T00:00:00.000Z',
  type: 'state_changed',
  data: { from: 'provisioning', to: 'running', reason: null },
};

describe('createApi', () => {
  it('returns answers that match the contract', async () => {
    const session = aSession();
    const { client, calls } = fakeTransport({ 'sessions.byId': session });
    const api = createApi(client);
    await expect(api.query('sessions.byId', { id: session.id })).resolves.toEqual(session);
    expect(calls).toEqual([{ kind: 'query', path: 'sessions.byId', input: { id: session.id } }]);
  });

  it('refuses an answer that does not match, naming the procedure and the field', async () => {
    const { client } = fakeTransport({ 'sessions.byId': { ...aSession(), state: 'exploded' } });
    const error = await createApi(client)
      .query('sessions.byId', { id: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toMatch(/sessions\.byId .*state/);
  });

  it('unwraps tracked subscription data with its id, checks it, and reports bad events as errors', () => {
    const { client, calls, observer } = fakeTransport({});
    const seen: Array<[unknown, string | undefined]> = [];
    const errors: unknown[] = [];
    const states: string[] = [];
    const stop = createApi(client).subscribe(
      'sessions.onState',
      { sessionId: 's-1' },
      {
        onData: (data, id) => seen.push([data, id]),
        onError: (e) => errors.push(e),
        onState: (state) => states.push(state),
      },
    );
    observer().onConnectionStateChange?.({ type: 'state', state: 'pending', error: null });
    observer().onData?.({ id: '7', data: event });
    observer().onData?.({ id: '8', data: { ...event, type: 'nonsense' } });
    stop();
    expect(seen).toEqual([[event, '7']]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ContractError);
    expect(states).toEqual(['live']);
    expect(calls.at(-1)?.kind).toBe('unsubscribe');
  });
});
