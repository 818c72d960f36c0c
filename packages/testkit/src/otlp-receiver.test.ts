import { describe, expect, it } from 'vitest';
import { decodeMetrics, decodeTraces } from './otlp-receiver';

describe('OTLP/JSON decoding', () => {
  it('flattens spans with hex or base64 ids, typed attributes, resource and status', () => {
    const spans = decodeTraces({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'volundr' } }] },
          scopeSpans: [
            {
              scope: { name: 'volundr' },
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  parentSpanId: Buffer.from('0102030405060708', 'hex').toString('base64'),
                  name: 'contributor Git',
                  kind: 1,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: 1700000000500000000,
                  attributes: [
                    { key: 'index', value: { intValue: '3' } },
                    { key: 'ok', value: { boolValue: true } },
                    { key: 'ratio', value: { doubleValue: 0.5 } },
                    { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
                  ],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(spans).toEqual([
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: '0102030405060708',
        name: 'contributor Git',
        kind: 1,
        startTimeUnixNano: 1700000000000000000n,
        endTimeUnixNano: 1700000000500000000n,
        attributes: { index: 3, ok: true, ratio: 0.5, list: ['a'] },
        status: { code: 2, message: 'boom' },
        resource: { 'service.name': 'volundr' },
        scope: 'volundr',
      },
    ]);
  });

  it('flattens histogram, sum and gauge points', () => {
    const points = decodeMetrics({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'gen_ai.client.token.usage',
                  unit: '{token}',
                  histogram: {
                    dataPoints: [
                      {
                        attributes: [{ key: 'gen_ai.token.type', value: { stringValue: 'input' } }],
                        count: '2',
                        sum: 300,
                      },
                    ],
                  },
                },
                { name: 'requests', sum: { dataPoints: [{ asInt: '7' }] } },
                { name: 'lag', gauge: { dataPoints: [{ asDouble: 1.5 }] } },
              ],
            },
          ],
        },
      ],
    });
    expect(points.map((p) => [p.name, p.kind, p.count, p.sum, p.value])).toEqual([
      ['gen_ai.client.token.usage', 'histogram', 2, 300, null],
      ['requests', 'sum', null, null, 7],
      ['lag', 'gauge', null, null, 1.5],
    ]);
    expect(points[0]!.attributes).toEqual({ 'gen_ai.token.type': 'input' });
  });

  it('refuses what is not an export request, naming the field', () => {
    expect(() => decodeTraces({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x' }] }] }] })).toThrow(/traceId/);
  });
});
