import { silentLogger } from '@volundr/core/shared/ports/logger';
import { describe, expect, it } from 'vitest';
import { ZEventsConfig } from '../config/events-config';
import { loadEventSinks } from './compose-events';

const RABBIT = '@volundr/adapter-events/rabbitmq-sink#rabbitmqSink';
const deps = { logger: silentLogger, clock: { now: () => new Date() } };
const load = (sinks: unknown[]) => loadEventSinks(ZEventsConfig.parse({ sinks }), deps);

describe('event sinks from configuration', () => {
  it('builds each sink with its cursor name (default: the export name) and start', async () => {
    const sinks = await load([
      { use: RABBIT, url: 'amqp://guest:guest@127.0.0.1:5672' },
      { use: RABBIT, name: 'audit-bus', startFrom: 'earliest', url: 'amqp://127.0.0.1', exchange: 'audit' },
    ]);
    expect(sinks.map((s) => [s.name, s.startFrom])).toEqual([
      ['rabbitmqSink', 'latest'],
      ['audit-bus', 'earliest'],
    ]);
    for (const s of sinks) await s.sink.close();
  });

  it('names the block and the key of every mistake', async () => {
    await expect(load([{ use: RABBIT, url: 'http://x' }])).rejects.toThrow(
      /events\.sinks\[0\].*option "url": expected an amqp:\/\/ or amqps:\/\/ URL/,
    );
    await expect(load([{ use: RABBIT, url: 'amqp://x', exchang: 'typo' }])).rejects.toThrow(
      /option "exchang": unknown option/,
    );
    await expect(load([{ use: RABBIT, url: 'amqp://x', name: 'metrics' }])).rejects.toThrow(
      /events\.sinks\[0\]\.name: "metrics" is reserved/,
    );
    await expect(
      load([
        { use: RABBIT, url: 'amqp://x' },
        { use: RABBIT, url: 'amqp://y' },
      ]),
    ).rejects.toThrow(/events\.sinks\[1\]\.name: another sink is already named "rabbitmqSink"/);
    await expect(load([{ use: RABBIT, url: 'amqp://x', startFrom: 'now' }])).rejects.toThrow(
      /startFrom: expected "latest" or "earliest"/,
    );
    await expect(load([{ use: RABBIT, url: 'amqp://x', name: 'bad name' }])).rejects.toThrow(
      /events\.sinks\[0\]\.name: letters/,
    );
    await expect(load([{ use: '@volundr/adapter-authz/allow-all#allowAll' }])).rejects.toThrow(
      /for port "authorization", not "eventSink"/,
    );
  });
});
