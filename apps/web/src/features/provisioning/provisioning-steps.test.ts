import { type SessionEvent, ZSessionEvent } from '@volundr/contracts/session-events';
import { describe, expect, it } from 'vitest';
import { formatElapsed, provisioningView } from './provisioning-steps';

let id = 0;
let second = 0;
const e = (body: unknown): SessionEvent =>
  ZSessionEvent.parse({
    id: String(++id),
    sessionId: 's1',
    tenantId: 't',
    ownerId: 'u',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second++)).toISOString(),
    ...(body as object),
  });
const changed = (from: string, to: string, reason: string | null = null) =>
  e({ type: 'state_changed', data: { from, to, reason } });

const statuses = (v: ReturnType<typeof provisioningView>) => v.steps.map((s) => `${s.key}:${s.status}`);

describe('provisioningView', () => {
  it('highlights the step under way, with runtime progress steps in order', () => {
    const log = [
      e({ type: 'session_created', data: { name: 'x', state: 'created' } }),
      changed('created', 'starting'),
      e({ type: 'contributor_applied', data: { contributor: 'core', index: 0, total: 2 } }),
      e({ type: 'contributor_applied', data: { contributor: 'git', index: 1, total: 2 } }),
      e({ type: 'pod_submitted', data: { attemptId: 'a1', backend: 'local', adopted: false } }),
      changed('starting', 'provisioning'),
      e({ type: 'pod_progress', data: { step: 'Clone repository', message: 'cloning acme/app' } }),
      e({ type: 'pod_progress', data: { step: 'Run setup script', message: 'npm ci' } }),
    ];
    const view = provisioningView(log, 'provisioning', null);
    expect(statuses(view)).toEqual([
      'queued:done',
      'spec:done',
      'submit:done',
      'progress:Clone repository:done',
      'progress:Run setup script:current',
      'ready:pending',
      'running:pending',
    ]);
    expect(view.steps[1]?.detail).toBe('git (2 of 2)');
    expect(view.steps[4]?.detail).toBe('npm ci');
    expect(view.outcome).toBe('in-progress');
    expect(view.startedAt).toBe(log[1]?.createdAt);
  });

  it('reports the failure on the step that failed, with the reason', () => {
    const log = [
      changed('created', 'starting'),
      e({ type: 'contributor_failed', data: { contributor: 'git', message: 'repository not allowed' } }),
      changed('starting', 'failed', 'git: repository not allowed'),
    ];
    const view = provisioningView(log, 'failed', 'git: repository not allowed');
    expect(view.outcome).toBe('failed');
    expect(view.failureReason).toBe('git: repository not allowed');
    expect(statuses(view).slice(0, 3)).toEqual(['queued:done', 'spec:failed', 'submit:pending']);
    expect(view.endedAt).toBe(log[2]?.createdAt);
  });

  it('blames the current step when the failure came from the runtime', () => {
    const log = [
      changed('created', 'starting'),
      e({ type: 'pod_submitted', data: { attemptId: 'a1', backend: 'local', adopted: false } }),
      changed('starting', 'provisioning'),
      changed('provisioning', 'failed', 'Provisioning timed out after 300 s'),
    ];
    const view = provisioningView(log, 'failed', null);
    const failed = view.steps.find((s) => s.status === 'failed');
    expect(failed).toMatchObject({ key: 'ready', detail: 'Provisioning timed out after 300 s' });
  });

  it('shows only the latest attempt after a retry, and everything done once running', () => {
    const log = [
      changed('created', 'starting'),
      changed('starting', 'failed', 'first try failed'),
      changed('failed', 'starting'),
      e({ type: 'pod_submitted', data: { attemptId: 'a2', backend: 'local', adopted: false } }),
      changed('starting', 'provisioning'),
      e({ type: 'container_ready', data: { container: 'broker', ready: 1, total: 2 } }),
      e({ type: 'container_ready', data: { container: 'terminal', ready: 2, total: 2 } }),
      changed('provisioning', 'running'),
    ];
    const view = provisioningView(log, 'running', null);
    expect(view.outcome).toBe('running');
    expect(view.failureReason).toBeNull();
    expect(view.steps.every((s) => s.status === 'done')).toBe(true);
    expect(view.steps.find((s) => s.key === 'ready')?.detail).toBe('terminal ready (2 of 2)');
    expect(view.startedAt).toBe(log[2]?.createdAt);
  });

  it('trusts the session state when the log has nothing yet', () => {
    expect(provisioningView([], 'starting', null).steps[0]?.status).toBe('current');
    expect(provisioningView([], 'failed', 'quota exceeded')).toMatchObject({
      outcome: 'failed',
      failureReason: 'quota exceeded',
    });
  });
});

describe('formatElapsed', () => {
  it('formats like a stopwatch', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(65_400)).toBe('1:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});
