import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * A small OTLP/HTTP receiver for tests: `POST /v1/traces` and `POST /v1/metrics` with the JSON
 * encoding (what `@opentelemetry/exporter-*-otlp-http` sends; gzip accepted), decoded into flat
 * spans and metric points a test can assert. Protobuf bodies are refused with 415 naming why.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string | null };
  resource: Record<string, AttributeValue>;
  scope: string;
}

export interface ReceivedMetricPoint {
  name: string;
  unit: string;
  kind: 'histogram' | 'sum' | 'gauge' | 'other';
  attributes: Record<string, AttributeValue>;
  /** Histograms: how many values and their sum. */
  count: number | null;
  sum: number | null;
  /** Sums and gauges. */
  value: number | null;
  resource: Record<string, AttributeValue>;
}

const ZNumberish = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)]);

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValue[] };
};
const ZAnyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: ZNumberish.optional(),
    doubleValue: ZNumberish.optional(),
    arrayValue: z.object({ values: z.array(ZAnyValue).optional() }).optional(),
  }),
);
const ZAttributes = z.array(z.object({ key: z.string(), value: ZAnyValue })).optional();
const ZResource = z.object({ attributes: ZAttributes }).optional();
const ZScope = z.object({ name: z.string().optional() }).optional();

const ZTraces = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: ZResource,
        scopeSpans: z
          .array(
            z.object({
              scope: ZScope,
              spans: z
                .array(
                  z.object({
                    traceId: z.string(),
                    spanId: z.string(),
                    parentSpanId: z.string().optional(),
                    name: z.string(),
                    kind: z.number().optional(),
                    startTimeUnixNano: ZNumberish,
                    endTimeUnixNano: ZNumberish,
                    attributes: ZAttributes,
                    status: z.object({ code: z.number().optional(), message: z.string().optional() }).optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

const ZPoint = z.object({
  attributes: ZAttributes,
  count: ZNumberish.optional(),
  sum: ZNumberish.optional(),
  asInt: ZNumberish.optional(),
  asDouble: ZNumberish.optional(),
});
const ZMetrics = z.object({
  resourceMetrics: z
    .array(
      z.object({
        resource: ZResource,
        scopeMetrics: z
          .array(
            z.object({
              metrics: z
                .array(
                  z.object({
                    name: z.string(),
                    unit: z.string().optional(),
                    histogram: z.object({ dataPoints: z.array(ZPoint).optional() }).optional(),
                    sum: z.object({ dataPoints: z.array(ZPoint).optional() }).optional(),
                    gauge: z.object({ dataPoints: z.array(ZPoint).optional() }).optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

function attributeValue(v: AnyValue): AttributeValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(attributeValue);
  return null;
}

const attributesOf = (list: z.infer<typeof ZAttributes>) =>
  Object.fromEntries((list ?? []).map((a) => [a.key, attributeValue(a.value)]));

/** OTLP/JSON ids are hex; some encoders send base64. Both become lower-case hex. */
function hexId(id: string): string {
  if (/^[0-9a-f]+$/i.test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

const num = (v: number | string | undefined) => (v === undefined ? null : Number(v));

export function decodeTraces(body: unknown): ReceivedSpan[] {
  const parsed = ZTraces.parse(body);
  return (parsed.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: hexId(s.traceId),
        spanId: hexId(s.spanId),
        parentSpanId: s.parentSpanId ? hexId(s.parentSpanId) : null,
        name: s.name,
        kind: s.kind ?? 0,
        startTimeUnixNano: BigInt(String(s.startTimeUnixNano).split('.')[0]!),
        endTimeUnixNano: BigInt(String(s.endTimeUnixNano).split('.')[0]!),
        attributes: attributesOf(s.attributes),
        status: { code: s.status?.code ?? 0, message: s.status?.message ?? null },
        resource,
        scope: ss.scope?.name ?? '',
      })),
    );
  });
}

export function decodeMetrics(body: unknown): ReceivedMetricPoint[] {
  const parsed = ZMetrics.parse(body);
  return (parsed.resourceMetrics ?? []).flatMap((rm) => {
    const resource = attributesOf(rm.resource?.attributes);
    return (rm.scopeMetrics ?? []).flatMap((sm) =>
      (sm.metrics ?? []).flatMap((m) => {
        const [kind, points] = m.histogram
          ? (['histogram', m.histogram.dataPoints] as const)
          : m.sum
            ? (['sum', m.sum.dataPoints] as const)
            : m.gauge
              ? (['gauge', m.gauge.dataPoints] as const)
              : (['other', []] as const);
        return (points ?? []).map((p) => ({
          name: m.name,
          unit: m.unit ?? '',
          kind,
          attributes: attributesOf(p.attributes),
          count: num(p.count),
          sum: num(p.sum),
          value: num(p.asDouble ?? p.asInt),
          resource,
        }));
      }),
    );
  });
}

export interface OtlpReceiver {
  /** Base URL (`http://127.0.0.1:<port>`), what an exporter's `endpoint` is set to. */
  url: string;
  readonly spans: ReceivedSpan[];
  readonly metrics: ReceivedMetricPoint[];
  /** Requests refused (bad body, protobuf): each with the reason. */
  readonly refused: string[];
  waitForSpans(check: (spans: readonly ReceivedSpan[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  waitForMetrics(
    check: (points: readonly ReceivedMetricPoint[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetricPoint[] = [];
  const refused: string[] = [];
  let wake: (() => void) | null = null;

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/v1/traces' && path !== '/v1/metrics')) {
      return answer(res, 404, { message: `no OTLP endpoint at ${req.method} ${path}` });
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!type.includes('json')) {
      refused.push(`${path}: content-type ${type || '(none)'}`);
      return answer(res, 415, { message: 'this test receiver decodes OTLP/JSON only (application/json)' });
    }
    try {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as unknown;
      if (path === '/v1/traces') spans.push(...decodeTraces(body));
      else metrics.push(...decodeMetrics(body));
    } catch (error) {
      refused.push(`${path}: ${(error as Error).message.slice(0, 300)}`);
      return answer(res, 400, {
        message: `not an OTLP/JSON export request: ${(error as Error).message.slice(0, 300)}`,
      });
    }
    answer(res, 200, {});
    wake?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;

  async function waitFor<T>(list: T[], check: (items: readonly T[]) => boolean, what: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!check(list)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${list.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    refused,
    waitForSpans: (check, what, timeoutMs = 15_000) => waitFor(spans, check, what, timeoutMs),
    waitForMetrics: (check, what, timeoutMs = 15_000) => waitFor(metrics, check, what, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
