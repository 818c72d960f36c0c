import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvent } from '@volundr/contracts/chat';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventLog } from './event-log';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skuld-log-'));
  path = join(dir, 'chat.ndjson');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const delta = (i: number) => ({ type: 'text_delta' as const, turnId: 't1', text: `d${i}` });
const collect = async (iterable: AsyncIterable<string>) => {
  const out: ChatEvent[] = [];
  for await (const line of iterable) out.push(JSON.parse(line) as ChatEvent);
  return out;
};

describe('event log', () => {
  it('numbers events from 1, writes them before returning, and continues after reopening', () => {
    const log = openEventLog(path, { logger: silentLogger });
    const first = log.append([delta(1), delta(2)]);
    expect(first.map((e) => e.event.seq)).toEqual([1, 2]);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    log.close();
    const seen: number[] = [];
    const reopened = openEventLog(path, { logger: silentLogger, onRecovered: (e) => seen.push(e.seq) });
    expect(seen).toEqual([1, 2]);
    expect(reopened.append([delta(3)])[0]?.event.seq).toBe(3);
    reopened.close();
  });

  it('cuts off a torn last line and goes on from the last whole event', () => {
    const log = openEventLog(path, { logger: silentLogger });
    log.append([delta(1), delta(2)]);
    log.close();
    appendFileSync(path, '{"seq":3,"ts":"2024-01-01T00:00:00.000Z","type":"text_de');
    const reopened = openEventLog(path, { logger: silentLogger });
    expect(reopened.lastSeq).toBe(2);
    reopened.append([delta(3)]);
    reopened.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as ChatEvent).seq)).toEqual([1, 2, 3]);
  });

  it('skips a corrupt line in the middle without losing the sequence', () => {
    const log = openEventLog(path, { logger: silentLogger });
    log.append([delta(1)]);
    log.close();
    appendFileSync(path, 'garbage\n');
    const reopened = openEventLog(path, { logger: silentLogger });
    expect(reopened.append([delta(2)])[0]?.event.seq).toBe(2);
    reopened.close();
  });

  it('replays exactly the events after a seq, across checkpoints, and only what was written at the call', async () => {
    const log = openEventLog(path, { logger: silentLogger });
    for (let i = 0; i < 30; i++) log.append(Array.from({ length: 100 }, (_, j) => delta(i * 100 + j)));
    const iterable = log.readAfter(1234);
    log.append([delta(9999)]);
    const replayed = await collect(iterable);
    expect(replayed).toHaveLength(3000 - 1234);
    expect(replayed[0]?.seq).toBe(1235);
    expect(replayed.at(-1)?.seq).toBe(3000);
    expect(await collect(log.readAfter(3001))).toEqual([]);
    expect((await collect(log.readAfter(0))).length).toBe(3001);
    log.close();
    // Checkpoints are rebuilt when reopening.
    const reopened = openEventLog(path, { logger: silentLogger });
    expect((await collect(reopened.readAfter(2999))).map((e) => e.seq)).toEqual([3000, 3001]);
    reopened.close();
  });

  it('keeps seq as the first field even when a body carries one', () => {
    const log = openEventLog(path, { logger: silentLogger });
    const [entry] = log.append([{ ...delta(1), seq: 99 } as never]);
    expect(entry?.line.startsWith('{"seq":1,')).toBe(true);
    log.close();
    writeFileSync(path, '');
  });
});
