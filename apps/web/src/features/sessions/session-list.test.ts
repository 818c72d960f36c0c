import { describe, expect, it } from 'vitest';
import { aSession } from '../../test/session-builder';
import { filterSessions, groupSessions, repoLabel, sessionActions, sessionStats } from './session-list';

describe('groupSessions', () => {
  it('groups by state in attention order, newest first, and leaves out empty groups', () => {
    const a = aSession({ name: 'a', state: 'stopped', updatedAt: '2026-01-01T01:00:00.000Z' });
    const b = aSession({ name: 'b', state: 'running' });
    const c = aSession({ name: 'c', state: 'provisioning' });
    const d = aSession({ name: 'd', state: 'stopped', updatedAt: '2026-01-01T02:00:00.000Z' });
    const e = aSession({ name: 'e', state: 'starting' });
    const groups = groupSessions([a, b, c, d, e]);
    expect(groups.map((g) => [g.title, g.sessions.map((s) => s.name)])).toEqual([
      ['Running', ['b']],
      ['Starting', ['c', 'e']],
      ['Stopped', ['d', 'a']],
    ]);
  });
});

describe('filterSessions', () => {
  const sessions = [
    aSession({ name: 'fix-login', model: 'claude-opus', source: { type: 'git', repo: 'acme/web', branch: 'feat/x' } }),
    aSession({ name: 'docs', state: 'stopped', model: 'gpt-5-codex', source: { type: 'blank' } }),
  ];
  it('matches every word against name, model, repository and branch', () => {
    expect(filterSessions(sessions, { text: 'ACME feat', states: [] }).map((s) => s.name)).toEqual(['fix-login']);
    expect(filterSessions(sessions, { text: 'codex blank', states: [] }).map((s) => s.name)).toEqual(['docs']);
    expect(filterSessions(sessions, { text: 'nothing-like-it', states: [] })).toEqual([]);
  });
  it('filters by state', () => {
    expect(filterSessions(sessions, { text: '', states: ['stopped'] }).map((s) => s.name)).toEqual(['docs']);
    expect(filterSessions(sessions, { text: '', states: [] })).toHaveLength(2);
  });
});

describe('sessionStats', () => {
  it('counts states and sums what sessions active today used', () => {
    const now = new Date('2026-03-02T15:00:00');
    const today = new Date('2026-03-02T09:00:00').toISOString();
    const yesterday = new Date('2026-03-01T22:00:00').toISOString();
    const stats = sessionStats(
      [
        aSession({ state: 'running', lastActivityAt: today, tokensUsed: 1000, costUsd: 0.5 }),
        aSession({ state: 'provisioning', updatedAt: today, tokensUsed: 0 }),
        aSession({ state: 'failed', lastActivityAt: yesterday, tokensUsed: 99, costUsd: 9 }),
      ],
      now,
    );
    expect(stats).toEqual({
      running: 1,
      starting: 1,
      failed: 1,
      activeToday: 2,
      tokensActiveToday: 1000,
      costActiveToday: 0.5,
    });
  });
});

describe('repoLabel and sessionActions', () => {
  it('shortens repository references to owner/name', () => {
    expect(repoLabel('https://github.com/acme/app.git')).toBe('acme/app');
    expect(repoLabel('git@github.com:acme/app.git')).toBe('acme/app');
    expect(repoLabel('/home/me/src/app/')).toBe('src/app');
  });
  it('offers destructive actions only where the lifecycle allows them', () => {
    expect(sessionActions('running')).toEqual(['open', 'stop']);
    expect(sessionActions('stopped')).toContain('delete');
    expect(sessionActions('archived')).toEqual(['open', 'restore', 'delete']);
    expect(sessionActions('stopping')).toEqual(['open']);
  });
});
