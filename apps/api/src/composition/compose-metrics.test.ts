import type { SessionEvent } from '@volundr/contracts/session-events';
import { describe, expect, it } from 'vitest';
import { ZMetricsConfig } from '../config/events-config';
import { composeMetrics } from './compose-metrics';

const shape = {
  procedures: new Set(['sessions.create', 'sessions.byId', 'sessions.onState']),
  subscriptions: new Set(['sessions.onState']),
  restRoutes: [
    { method: 'GET' as const, path: '/sessions/{id}', procedure: 'sessions.byId', summary: '', tag: '' },
    {
      method: 'GET' as const,
      path: '/sessions/stream',
      procedure: 'sessions.onState',
      summary: '',
      tag: '',
      stream: true,
    },
  ],
};
const metrics = () => composeMetrics(ZMetricsConfig.parse({ processMetrics: false }), shape);

const event = (id: number, at: string, body: Pick<SessionEvent, 'type' | 'data'>, sessionId = 's-1') =>
  ({ id: String(id), sessionId, tenantId: 't', ownerId: 'u', createdAt: at, ...body }) as SessionEvent;

describe('metrics', () => {
  it('labels requests by procedure or REST template, never by raw path', () => {
    const m = metrics();
    expect(m.labelOf('POST', '/trpc/sessions.create,sessions.byId', '/trpc/')).toEqual({
      labels: ['sessions.create', 'sessions.byId'],
      subscription: false,
    });
    expect(m.labelOf('GET', '/trpc/evil.$(rm)', '/trpc/').labels).toEqual(['trpc:unknown']);
    expect(m.labelOf('GET', '/trpc/sessions.onState', '/trpc/').subscription).toBe(true);
    expect(m.labelOf('GET', '/api/v1/sessions/abc-123', '/api/v1/').labels).toEqual(['GET /api/v1/sessions/{id}']);
    expect(m.labelOf('GET', '/api/v1/sessions/stream', '/api/v1/').subscription).toBe(true);
    expect(m.labelOf('DELETE', '/api/v1/whatever/1', '/api/v1/').labels).toEqual(['rest:unmatched']);
    expect(m.labelOf('GET', '/s/abc/ide/', '/s/').labels).toEqual(['/s/']);
  });

  it('times requests, counts live subscribers, and derives provisioning, tokens and connections from events', async () => {
    const m = metrics();
    m.requestStarted({ method: 'GET', path: '/api/v1/sessions/stream' });
    m.requestStarted({ method: 'POST', path: '/trpc/sessions.create' });
    m.requestFinished({ method: 'POST', path: '/trpc/sessions.create', route: '/trpc/', status: 200, seconds: 0.03 });
    await m.sink.deliver([
      event(1, '2026-03-01T10:00:00.000Z', {
        type: 'state_changed',
        data: { from: 'created', to: 'starting', reason: null },
      }),
      event(2, '2026-03-01T10:00:04.000Z', {
        type: 'state_changed',
        data: { from: 'provisioning', to: 'running', reason: null },
      }),
      event(3, '2026-03-01T10:00:05.000Z', {
        type: 'activity_changed',
        data: { state: 'active', metadata: { connections: 2 } },
      }),
      event(
        4,
        '2026-03-01T10:00:05.000Z',
        { type: 'activity_changed', data: { state: 'active', metadata: { connections: 3 } } },
        's-2',
      ),
      event(5, '2026-03-01T10:00:06.000Z', {
        type: 'usage_recorded',
        data: {
          turnId: 't',
          model: 'm',
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: null,
          durationMs: null,
          occurredAt: '2026-03-01T10:00:06.000Z',
        },
      }),
      event(6, '2026-03-01T10:00:07.000Z', { type: 'session_deleted', data: {} }, 's-2'),
    ]);
    const text = await m.registry.metrics();
    expect(text).toContain(
      'volundr_http_request_duration_seconds_count{route="sessions.create",method="POST",status="200"} 1',
    );
    expect(text).toContain('volundr_live_subscribers 1');
    expect(text).toContain('volundr_http_requests_in_flight 1');
    expect(text).toContain('volundr_provisioning_duration_seconds_sum{outcome="running"} 4');
    expect(text).toContain('volundr_broker_connections 2');
    expect(text).toContain('volundr_tokens_total{model="m",kind="input"} 10');
    expect(text).toContain('volundr_session_events_total{type="state_changed"} 2');
  });
});
