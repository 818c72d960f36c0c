import { describe, expect, it } from 'vitest';
import { amqpTarget, connectTestRabbitmq, DEFAULT_TEST_RABBITMQ_URL, testRabbitmqSettings } from './rabbitmq';

describe('test RabbitMQ settings', () => {
  it('uses the local broker unless told otherwise, and never skips under CI', () => {
    expect(testRabbitmqSettings({})).toEqual({ url: DEFAULT_TEST_RABBITMQ_URL, skip: false, notice: null });
    expect(testRabbitmqSettings({ VOLUNDR_SKIP_RABBITMQ: '1' })).toMatchObject({ skip: true });
    expect(testRabbitmqSettings({ VOLUNDR_SKIP_RABBITMQ: '1', CI: 'true' })).toMatchObject({
      skip: false,
      notice: expect.stringContaining('ignored under CI=true'),
    });
    expect(testRabbitmqSettings({ VOLUNDR_TEST_RABBITMQ_URL: 'amqp://u:p@mq:5673' }).url).toBe('amqp://u:p@mq:5673');
    expect(() => testRabbitmqSettings({ VOLUNDR_TEST_RABBITMQ_URL: 'http://mq' })).toThrow(/must be an amqp:\/\/ URL/);
    expect(amqpTarget('amqp://guest:guest@127.0.0.1:5673/%2f')).toEqual({ host: '127.0.0.1', port: 5673 });
    expect(amqpTarget('amqp://mq')).toEqual({ host: 'mq', port: 5672 });
  });

  it('fails clearly, saying what to do, when the broker is unreachable', async () => {
    await expect(connectTestRabbitmq('amqp://guest:secret@127.0.0.1:1')).rejects.toThrow(
      /RabbitMQ is not reachable at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1.*Start it/,
    );
  });
});
