import { SESSION_STATES, type SessionState } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { aSession } from '../testing/session-builder';
import { canTransition, SESSION_TRANSITIONS, transition } from './state-machine';

const legal: [SessionState, SessionState][] = [
  ['created', 'starting'],
  ['stopped', 'starting'],
  ['failed', 'starting'],
  ['starting', 'provisioning'],
  ['provisioning', 'running'],
  ['starting', 'failed'],
  ['provisioning', 'failed'],
  ['starting', 'stopping'],
  ['provisioning', 'stopping'],
  ['running', 'stopping'],
  ['stopping', 'stopped'],
  ['stopping', 'failed'],
  ['created', 'archived'],
  ['stopped', 'archived'],
  ['failed', 'archived'],
  ['archived', 'stopped'],
];
const isLegal = (from: SessionState, to: SessionState) => legal.some(([f, t]) => f === from && t === to);
const now = new Date('2026-02-01T10:00:00.000Z');

describe('session state machine', () => {
  it('allows exactly the documented transitions', () => {
    const table = SESSION_STATES.flatMap((from) => SESSION_TRANSITIONS[from].map((to) => [from, to]));
    expect(table.sort()).toEqual([...legal].sort());
  });

  for (const from of SESSION_STATES) {
    for (const to of SESSION_STATES) {
      if (isLegal(from, to)) {
        it(`${from} → ${to} is allowed`, () => {
          const patch = transition(aSession().inState(from).build(), to, { now, reason: 'because' });
          expect(canTransition(from, to)).toBe(true);
          expect(patch.state).toBe(to);
          expect(patch.updatedAt).toEqual(now);
        });
      } else {
        it(`${from} → ${to} is SESSION_INVALID_TRANSITION naming the session`, () => {
          const session = aSession().withId('sess-42').named('api-work').inState(from).build();
          let error: unknown;
          try {
            transition(session, to, { now, reason: 'because' });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          const domain = error as DomainError;
          expect(domain.code).toBe('SESSION_INVALID_TRANSITION');
          expect(domain.kind).toBe('conflict');
          expect(domain.message).toContain('sess-42');
          expect(domain.message).toContain(`is ${from}`);
          expect(domain.message).toContain(`go to ${to}`);
          expect(domain.details).toEqual({ sessionId: 'sess-42', from, to });
        });
      }
    }
  }

  it('refuses a failure without a reason a person can act on', () => {
    const starting = aSession().starting().build();
    expect(() => transition(starting, 'failed', { now })).toThrow(/without a reason/);
    expect(() => transition(starting, 'failed', { now, reason: '   ' })).toThrow(/without a reason/);
    expect(transition(starting, 'failed', { now, reason: 'Provisioning timed out.' }).stateReason).toBe(
      'Provisioning timed out.',
    );
  });

  it('sets the timestamps that belong to each state', () => {
    expect(transition(aSession().starting().build(), 'provisioning', { now }).provisioningStartedAt).toEqual(now);
    expect(transition(aSession().provisioning().build(), 'running', { now }).runningSince).toEqual(now);
    const stopped = transition(aSession().stopping().build(), 'stopped', { now });
    expect(stopped).toMatchObject({ stoppedAt: now, endpoints: null });
    expect(transition(aSession().stopped().build(), 'archived', { now })).toMatchObject({
      archivedAt: now,
      endpoints: null,
    });
    const restored = transition(aSession().archived().build(), 'stopped', { now });
    expect(restored.archivedAt).toBeNull();
    expect(restored.stoppedAt).toBeUndefined(); // restore keeps when it really stopped
    expect(transition(aSession().failed().build(), 'starting', { now })).toMatchObject({
      stateReason: null,
      runningSince: null,
      stoppedAt: null,
      provisioningStartedAt: null,
    });
  });
});
