import type { SessionEvent } from '@volundr/contracts/session-events';
import { type OtlpReceiver, startOtlpReceiver } from '@volundr/testkit/otlp-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtelTelemetry, providerOf, type Telemetry, ZTelemetryOptions } from './otel-telemetry';

describe('OpenTelemetry export over OTLP/HTTP (JSON) to the test receiver', () => {
  let receiver: OtlpReceiver;
  let telemetry: Telemetry;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    telemetry = createOtelTelemetry(
      ZTelemetryOptions.parse({
        endpoint: receiver.url,
        spanBatchDelayMs: 50,
        exportIntervalMs: 60_000,
        resourceAttributes: { 'deployment.environment.name': 'test' },
      }),
      '1.2.3',
    );
  });
  afterAll(async () => {
    await telemetry?.shutdown();
    await receiver?.close();
  });

  it('nests spans across awaits under their parent; a root span starts its own trace; errors mark the span', async () => {
    await telemetry.tracer.span('outer', { 'volundr.session.id': 's-1' }, async () => {
      await telemetry.tracer.span('inner-1', {}, async () => new Promise((r) => setTimeout(r, 5)));
      await telemetry.tracer.span('inner-2', { index: 2 }, async () => {});
      await telemetry.tracer.span('detached', {}, async () => {}, { root: true });
      await expect(
        telemetry.tracer.span('failing', {}, async () => {
          throw new Error('pod manager refused');
        }),
      ).rejects.toThrow('pod manager refused');
    });
    await telemetry.flush();
    await receiver.waitForSpans((s) => s.some((x) => x.name === 'outer'), 'the outer span');
    const byName = new Map(receiver.spans.map((s) => [s.name, s]));
    const outer = byName.get('outer')!;
    expect(outer.parentSpanId).toBeNull();
    expect(outer.attributes).toEqual({ 'volundr.session.id': 's-1' });
    expect(outer.resource).toMatchObject({
      'service.name': 'volundr',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
    });
    for (const name of ['inner-1', 'inner-2', 'failing']) {
      expect(byName.get(name)).toMatchObject({ traceId: outer.traceId, parentSpanId: outer.spanId });
    }
    expect(byName.get('detached')!.traceId).not.toBe(outer.traceId);
    expect(byName.get('failing')!.status).toEqual({ code: 2, message: 'pod manager refused' });
    expect(byName.get('inner-1')!.endTimeUnixNano - byName.get('inner-1')!.startTimeUnixNano).toBeGreaterThan(
      4_000_000n,
    );
  });

  it('turns a usage report into a chat span and the gen_ai token-usage and duration metrics', async () => {
    const event = {
      id: '7',
      sessionId: 's-9',
      tenantId: 't-1',
      ownerId: 'u-1',
      createdAt: '2026-03-01T10:00:02.000Z',
      type: 'usage_recorded',
      data: {
        turnId: 'turn-1',
        model: 'claude-sonnet-4',
        inputTokens: 1200,
        outputTokens: 300,
        cacheReadTokens: 100,
        cacheWriteTokens: 0,
        costUsd: 0.02,
        durationMs: 2500,
        occurredAt: '2026-03-01T10:00:02.000Z',
      },
    } satisfies SessionEvent;
    await telemetry.chatTurnSink.deliver([
      event,
      { ...event, id: '8', type: 'session_deleted', data: {} } as SessionEvent,
    ]);
    await telemetry.recordRequest({ method: 'POST', route: 'sessions.create', status: 201, seconds: 0.05 });
    await telemetry.flush();
    await receiver.waitForSpans((s) => s.some((x) => x.name === 'chat claude-sonnet-4'), 'the chat span');
    const chat = receiver.spans.find((s) => s.name === 'chat claude-sonnet-4')!;
    expect(chat.kind).toBe(3);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.conversation.id': 's-9',
      'volundr.turn.id': 'turn-1',
    });
    expect(Number(chat.endTimeUnixNano - chat.startTimeUnixNano) / 1e6).toBe(2500);
    const request = receiver.spans.find((s) => s.name === 'POST sessions.create')!;
    expect(request).toMatchObject({
      kind: 2,
      attributes: { 'http.route': 'sessions.create', 'http.response.status_code': 201 },
    });

    await receiver.waitForMetrics((m) => m.some((x) => x.name === 'gen_ai.client.operation.duration'), 'the metrics');
    const usage = receiver.metrics.filter((m) => m.name === 'gen_ai.client.token.usage');
    expect(usage.map((p) => [p.attributes['gen_ai.token.type'], p.count, p.sum, p.unit]).sort()).toEqual([
      ['input', 1, 1300, '{token}'],
      ['output', 1, 300, '{token}'],
    ]);
    const duration = receiver.metrics.find((m) => m.name === 'gen_ai.client.operation.duration')!;
    expect(duration).toMatchObject({
      unit: 's',
      count: 1,
      sum: 2.5,
      attributes: { 'gen_ai.request.model': 'claude-sonnet-4' },
    });
    expect(receiver.refused).toEqual([]);
  });

  it('names providers from model ids and refuses bad options', () => {
    expect([providerOf('claude-opus-4'), providerOf('gpt-5-codex'), providerOf('llama')]).toEqual([
      'anthropic',
      'openai',
      'unknown',
    ]);
    expect(ZTelemetryOptions.safeParse({ endpoint: 'not a url' }).success).toBe(false);
  });

  it('the receiver refuses protobuf and malformed bodies with the reason', async () => {
    const proto = await fetch(`${receiver.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: 'x',
    });
    expect(proto.status).toBe(415);
    const bad = await fetch(`${receiver.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{}]}]}]}',
    });
    expect(bad.status).toBe(400);
    expect(receiver.refused).toHaveLength(2);
    receiver.refused.length = 0;
  });
});
