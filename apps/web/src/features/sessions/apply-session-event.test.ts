import type { SessionEvent } from '@volundr/contracts/session-events';
import { ZSessionEvent } from '@volundr/contracts/session-events';
import { describe, expect, it } from 'vitest';
import { aSession } from '../../test/session-builder';
import { applySessionEvent, mergeSessionLists, newerSession } from './apply-session-event';

let id = 100;
const event = (sessionId: string, body: unknown, createdAt = '2026-01-01T11:00:00.000Z'): SessionEvent =>
  ZSessionEvent.parse({ id: String(++id), sessionId, tenantId: 't-1', ownerId: 'u-1', createdAt, ...(body as object) });

describe('applySessionEvent', () => {
  it('moves a session to its new state with the reason', () => {
    const s = aSession({ state: 'provisioning' });
    const out = applySessionEvent(
      [s],
      event(s.id, { type: 'state_changed', data: { from: 'provisioning', to: 'failed', reason: 'clone failed' } }),
    );
    expect(out.sessions[0]).toMatchObject({ state: 'failed', stateReason: 'clone failed' });
    expect(out.refetch).toBe(false);
  });

  it('patches and refetches when endpoints change (running), and refetches unknown sessions', () => {
    const s = aSession({ state: 'provisioning' });
    const running = applySessionEvent(
      [s],
      event(s.id, { type: 'state_changed', data: { from: 'provisioning', to: 'running', reason: null } }),
    );
    const provisioning = applySessionEvent(
      [aSession({ id: s.id, state: 'starting' })],
      event(s.id, { type: 'state_changed', data: { from: 'starting', to: 'provisioning', reason: null } }),
    );
    expect(provisioning.refetch).toBe(false);
    expect(running.sessions[0]).toMatchObject({ state: 'running', runningSince: '2026-01-01T11:00:00.000Z' });
    expect(running.refetch).toBe(true);
    expect(
      applySessionEvent([s], event('other', { type: 'session_created', data: { name: 'x', state: 'created' } }))
        .refetch,
    ).toBe(true);
  });

  it('ignores a state change the cached session already reflects (replays, older events)', () => {
    const s = aSession({ state: 'stopped', updatedAt: '2026-01-01T12:00:00.000Z' });
    const older = applySessionEvent(
      [s],
      event(s.id, { type: 'state_changed', data: { from: 'starting', to: 'provisioning', reason: null } }),
    );
    expect(older).toEqual({ sessions: [s], refetch: false });
    const same = applySessionEvent(
      [s],
      event(s.id, { type: 'state_changed', data: { from: 'stopping', to: 'stopped', reason: null } }, s.updatedAt),
    );
    expect(same).toEqual({ sessions: [s], refetch: false });
  });

  it('removes deleted sessions and records activity', () => {
    const a = aSession();
    const b = aSession();
    expect(applySessionEvent([a, b], event(a.id, { type: 'session_deleted', data: {} })).sessions).toEqual([b]);
    const active = applySessionEvent(
      [a],
      event(a.id, { type: 'activity_changed', data: { state: 'tool_executing', metadata: { turn_count: 2 } } }),
    );
    expect(active.sessions[0]).toMatchObject({ activityState: 'tool_executing', activityMetadata: { turn_count: 2 } });
  });

  it('leaves the list alone for provisioning steps', () => {
    const s = aSession({ state: 'provisioning' });
    const out = applySessionEvent(
      [s],
      event(s.id, { type: 'pod_progress', data: { step: 'clone', message: 'cloning' } }),
    );
    expect(out).toEqual({ sessions: [s], refetch: false });
  });
});

describe('newerSession / mergeSessionLists', () => {
  it('keeps the snapshot with the later updatedAt', () => {
    const old = aSession({ id: 'x', state: 'provisioning', updatedAt: '2026-01-01T10:00:00.000Z' });
    const fresh = { ...old, state: 'failed' as const, updatedAt: '2026-01-01T10:00:01.000Z' };
    expect(newerSession(fresh, old)).toBe(fresh);
    expect(newerSession(old, fresh)).toBe(fresh);
    expect(newerSession(undefined, old)).toBe(old);
  });

  it('merges a fetched list without undoing newer cached sessions, in the fetched order', () => {
    const a = aSession({ id: 'a', updatedAt: '2026-01-01T10:00:00.000Z' });
    const b = aSession({ id: 'b', updatedAt: '2026-01-01T10:00:00.000Z' });
    const newerA = { ...a, state: 'stopped' as const, updatedAt: '2026-01-01T11:00:00.000Z' };
    expect(mergeSessionLists([newerA], [b, a])).toEqual([b, newerA]);
    expect(mergeSessionLists(undefined, [a])).toEqual([a]);
  });
});
