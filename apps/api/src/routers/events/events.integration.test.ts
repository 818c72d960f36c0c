import type { AuditPage, EventsHealth } from '@volundr/contracts/events';
import { type OtlpReceiver, startOtlpReceiver } from '@volundr/testkit/otlp-receiver';
import {
  amqpTarget,
  connectTestRabbitmq,
  startTcpProxy,
  type TcpProxy,
  type TestConsumer,
  type TestRabbitmq,
  testRabbitmqSettings,
} from '@volundr/testkit/rabbitmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';

/** One sample of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly: every line must be a comment,
 * a HELP/TYPE line or a sample; every sample must belong to a declared metric. Throws naming the
 * first bad line.
 */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`);
  const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const fail = (why: string) => new Error(`line ${index + 1} ${why}: ${line}`);
    if (line.startsWith('#')) {
      const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
      if (type) types.set(type[1]!, type[2]!);
      else if (!new RegExp(`^# HELP ${name} .*$`).test(line)) throw fail('is not a HELP or TYPE line');
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m) throw fail('is not a sample');
    const labels: Record<string, string> = {};
    let rest = m[3] ?? '';
    while (rest.length > 0) {
      const pair = labelPair.exec(rest);
      if (!pair) throw fail('has malformed labels');
      labels[pair[1]!] = pair[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(pair[0].length);
    }
    const raw = m[4]!;
    const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') throw fail('has a value that is not a number');
    const base = m[1]!.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(m[1]!) && !types.has(base)) throw fail('belongs to no declared metric');
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

const sample = (samples: Sample[], metric: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const rabbitSettings = testRabbitmqSettings();

describe.skipIf(rabbitSettings.skip)(
  'events, metrics, telemetry and audit through the API (PostgreSQL, RabbitMQ, OTLP)',
  () => {
    let t: SessionTestApi;
    let receiver: OtlpReceiver;
    let rabbit: TestRabbitmq;
    let proxy: TcpProxy;
    let bus: TestConsumer;
    let alice: string;
    let dave: string;

    const call = async (path: string, token: string, init: RequestInit = {}) =>
      fetch(`${t.base}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      });
    const json = async <T>(response: Response | Promise<Response>, status = 200): Promise<T> => {
      const r = await response;
      const body = await r.text();
      expect(r.status, body).toBe(status);
      return JSON.parse(body) as T;
    };
    const scrape = async () => {
      const response = await fetch(`${t.base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePrometheus(await response.text());
    };
    const sessionState = async (id: string) => (await json<{ state: string }>(call(`/sessions/${id}`, alice))).state;

    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      rabbit = await connectTestRabbitmq(rabbitSettings.url);
      proxy = await startTcpProxy(amqpTarget(rabbitSettings.url));
      const exchange = rabbit.exchangeName();
      bus = await rabbit.consume(exchange);
      t = await startSessionTestApi({
        driver: 'postgres',
        config: {
          metrics: { databaseCacheMs: 0 },
          telemetry: { enabled: true, endpoint: receiver.url, spanBatchDelayMs: 50, exportIntervalMs: 300 },
          events: {
            dispatcher: { pollIntervalMs: 50, retryInitialMs: 50, retryMaxMs: 500 },
            sinks: [
              {
                use: '@volundr/adapter-events/rabbitmq-sink#rabbitmqSink',
                name: 'bus',
                url: proxy.through(rabbitSettings.url),
                exchange,
                confirmTimeoutMs: 2_000,
                reconnectInitialMs: 50,
                reconnectMaxMs: 500,
              },
            ],
          },
        },
      });
      await t.setQuota('default', 20).catch(() => {});
      alice = await t.token('alice');
      dave = await t.token('dave', ['volundr:admin']);
      await json(call('/me', alice));
      await json(call('/me', dave));
      await t.setQuota('default', 20);
    });
    afterAll(async () => {
      await t?.stop();
      await proxy?.close();
      await rabbit?.close();
      await receiver?.close();
    });

    it('publishes the session lifecycle to RabbitMQ, traces the provisioning, and /metrics follows the states', async () => {
      const before = await scrape();
      expect(sample(before.samples, 'volundr_sessions', { state: 'running' })).toBe(0);

      const created = await json<{ id: string }>(
        call('/sessions', alice, {
          method: 'POST',
          body: JSON.stringify({ name: 'traced', model: 'claude-haiku-4-5', source: { type: 'blank' } }),
        }),
        201,
      );
      await eventually(async () => ((await sessionState(created.id)) === 'running' ? true : undefined), 'running');

      // /metrics: parses, counts the running session, and timed the requests per route.
      const during = await scrape();
      expect(during.types.get('volundr_sessions')).toBe('gauge');
      expect(sample(during.samples, 'volundr_sessions', { state: 'running' })).toBe(1);
      expect(
        sample(during.samples, 'volundr_http_request_duration_seconds_count', {
          route: 'POST /api/v1/sessions',
          status: '201',
        }),
      ).toBe(1);
      expect(sample(during.samples, 'volundr_reconciler_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(during.samples, 'volundr_process_resident_memory_bytes')).toBeGreaterThan(0);

      // RabbitMQ: the session's events, keyed session.<type>, ids as message ids.
      await bus.waitFor(
        (m) =>
          m.some(
            (x) =>
              x.routingKey === 'session.state_changed' && (x.body as { data: { to: string } }).data.to === 'running',
          ),
        'the running transition on the bus',
      );
      const mine = bus.messages.filter((m) => (m.body as { sessionId: string }).sessionId === created.id);
      expect(mine[0]).toMatchObject({ routingKey: 'session.session_created', persistent: true });
      expect(mine.every((m) => m.messageId === (m.body as { id: string }).id)).toBe(true);
      const contributors = mine.filter((m) => m.routingKey === 'session.contributor_applied');
      expect(contributors.length).toBeGreaterThanOrEqual(10);

      // One trace: the provisioning root, a span per contributor, one for the pod manager.
      // The root ends last (after the first readiness check), possibly in a later export.
      await receiver.waitForSpans(
        (s) => s.some((x) => x.name === 'session.provision' && x.attributes['volundr.session.id'] === created.id),
        'the provisioning trace',
      );
      const roots = receiver.spans.filter(
        (s) => s.name === 'session.provision' && s.attributes['volundr.session.id'] === created.id,
      );
      expect(roots).toHaveLength(1);
      const root = roots[0]!;
      const children = receiver.spans.filter((s) => s.traceId === root.traceId && s.parentSpanId === root.spanId);
      const contributorSpans = children.filter((s) => s.name.startsWith('contributor '));
      expect(contributorSpans.map((s) => s.name.slice('contributor '.length))).toEqual(
        contributors.map((m) => (m.body as { data: { contributor: string } }).data.contributor),
      );
      expect(children.filter((s) => s.name === 'pod_manager.start')).toHaveLength(1);
      expect(new Set(receiver.spans.filter((s) => s.traceId === root.traceId).map((s) => s.name)).size).toBe(
        children.length + 1,
      );
      expect(receiver.spans.some((s) => s.name === 'POST /api/v1/sessions' && s.kind === 2)).toBe(true);

      // Stop (by an admin: audited below) → the gauges move.
      await json(call(`/sessions/${created.id}/stop`, dave, { method: 'POST', body: '{}' }));
      await eventually(async () => ((await sessionState(created.id)) === 'stopped' ? true : undefined), 'stopped');
      const after = await scrape();
      expect(sample(after.samples, 'volundr_sessions', { state: 'running' })).toBe(0);
      expect(sample(after.samples, 'volundr_sessions', { state: 'stopped' })).toBe(1);
      await eventually(async () => {
        const s = (await scrape()).samples;
        return (sample(s, 'volundr_provisioning_duration_seconds_count', { outcome: 'running' }) ?? 0) >= 1 &&
          (sample(s, 'volundr_session_events_total', { type: 'state_changed' }) ?? 0) >= 4
          ? true
          : undefined;
      }, 'the metrics sink to count the provisioning');

      // A chat turn reported by the broker: a chat span and the gen_ai metrics.
      await json(
        call(`/sessions/${created.id}/reports`, alice, {
          method: 'POST',
          body: JSON.stringify({
            reports: [
              {
                kind: 'usage',
                key: 'usage:t1',
                occurredAt: new Date().toISOString(),
                turnId: 't1',
                model: 'claude-haiku-4-5',
                inputTokens: 40,
                outputTokens: 8,
                cacheReadTokens: 0,
                cacheWriteTokens: 0,
                durationMs: 1200,
              },
            ],
          }),
        }),
      );
      await receiver.waitForSpans((s) => s.some((x) => x.name === 'chat claude-haiku-4-5'), 'the chat span');
      await receiver.waitForMetrics(
        (m) => m.some((x) => x.name === 'gen_ai.client.operation.duration'),
        'gen_ai metrics',
      );
      await bus.waitFor((m) => m.some((x) => x.routingKey === 'session.usage_recorded'), 'usage on the bus');
    });

    it('records token create/revoke and an admin acting on another user’s session; only admins read the audit log', async () => {
      const created = await json<{ personalAccessToken: { id: string } }>(
        call('/tokens', alice, { method: 'POST', body: JSON.stringify({ name: 'ci' }) }),
        201,
      );
      await json(call(`/tokens/${created.personalAccessToken.id}`, alice, { method: 'DELETE' }));

      const page = await json<AuditPage>(call('/audit?limit=100', dave));
      const actions = page.items.map((e) => `${e.action}:${e.actorId}:${e.resource.kind}:${e.resource.ownerId}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'token.created:alice:personal_access_token:alice',
          'token.revoked:alice:personal_access_token:alice',
          'authz.acted_on_other:dave:session:alice',
          'user.provisioned:alice:user:alice',
        ]),
      );
      const stop = page.items.find((e) => e.action === 'authz.acted_on_other' && e.data.action === 'stop')!;
      expect(stop.reason).toMatch(/admin/i);
      expect(JSON.stringify(page)).not.toMatch(/vpat_[A-Za-z0-9]{20,}/); // never a token

      const filtered = await json<AuditPage>(call('/audit?action=token.revoked', dave));
      expect(filtered.items.map((e) => e.resource.id)).toEqual([created.personalAccessToken.id]);
      const refused = await call('/audit', alice);
      expect(refused.status).toBe(403);
      const bad = await call('/audit?limit=5000', dave);
      expect(bad.status).toBe(422);
      expect(await bad.text()).toMatch(/limit/);
    });

    it('events.health shows each sink, and the lag of one whose broker is unreachable until it drains', async () => {
      const healthy = await json<EventsHealth>(call('/events/health', dave));
      expect(healthy.sinks.map((s) => s.name).sort()).toEqual(['bus', 'metrics', 'otel']);
      expect(healthy.sinks.every((s) => s.state === 'delivering')).toBe(true);

      proxy.cut();
      for (let i = 0; i < 3; i++) {
        await json(
          call('/sessions', alice, {
            method: 'POST',
            body: JSON.stringify({
              name: `lagging-${i}`,
              model: 'claude-haiku-4-5',
              source: { type: 'blank' },
              start: false,
            }),
          }),
          201,
        );
      }
      const lagging = await eventually(async () => {
        const h = await json<EventsHealth>(call('/events/health', dave));
        const sink = h.sinks.find((s) => s.name === 'bus')!;
        return sink.state === 'failing' && sink.lag.events >= 3 && sink.lag.seconds > 0 ? sink : undefined;
      }, 'the bus sink to report its lag');
      expect(lagging.lastError).toBeTruthy();
      expect(sample((await scrape()).samples, 'volundr_outbox_lag_events', { sink: 'bus' })).toBeGreaterThanOrEqual(3);

      proxy.restore();
      await eventually(async () => {
        const h = await json<EventsHealth>(call('/events/health', dave));
        const sink = h.sinks.find((s) => s.name === 'bus')!;
        return sink.state === 'delivering' && sink.lag.events === 0 ? sink : undefined;
      }, 'the bus sink to drain');
      await bus.waitFor(
        (m) => m.filter((x) => x.routingKey === 'session.session_created').length >= 4,
        'the lagging sessions on the bus',
      );
      expect((await call('/events/health', alice)).status).toBe(403);
    });
  },
);
