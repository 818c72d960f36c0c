import { describe, expect, it } from 'vitest';
import { assertChannelName } from './channel-name';
import { openDatabase } from './client';
import { KeyedMutex } from './keyed-mutex';
import { redact } from './postgres-driver';

describe('openDatabase options', () => {
  it('names the option that is wrong', async () => {
    await expect(openDatabase({ driver: 'postgres', url: 'mysql://db/x' })).rejects.toThrow(
      'invalid database options: url: url must be a postgres:// or postgresql:// connection URL',
    );
    await expect(openDatabase({ driver: 'pglite', dataDir: '' })).rejects.toThrow(/invalid database options: dataDir:/);
    await expect(openDatabase({ driver: 'sqlite' } as never)).rejects.toThrow(/invalid database options: driver:/);
  });
});

describe('redact', () => {
  it('hides the password of a connection URL', () => {
    expect(redact('postgres://volundr:s3cret@db:5432/volundr')).toBe('postgres://volundr:***@db:5432/volundr');
    expect(redact('not a url')).toBe('(unparseable URL)');
  });
});

describe('assertChannelName', () => {
  it('accepts lower-case identifiers and refuses anything else', () => {
    expect(assertChannelName('session_events')).toBe('session_events');
    for (const bad of ['Session', '1abc', 'a-b', '', 'a'.repeat(64), 'x; select 1']) {
      expect(() => assertChannelName(bad)).toThrow(/invalid channel name/);
    }
  });
});

describe('KeyedMutex', () => {
  it('runs callers of one key in call order, one at a time, even when one throws', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = mutex.run('k', async () => {
      log.push('first start');
      await gate;
      log.push('first end');
      throw new Error('first failed');
    });
    const second = mutex.run('k', async () => {
      log.push('second');
      return 2;
    });
    const other = mutex.run('other', async () => {
      log.push('other key');
      release();
    });
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    await other;
    expect(log).toEqual(['first start', 'other key', 'first end', 'second']);
  });
});
