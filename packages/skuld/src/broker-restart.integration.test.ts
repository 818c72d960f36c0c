/**
 * The real broker process (bundled dist) with the fake transport: a client that reconnects
 * with `after` after the broker was stopped — gracefully or killed mid-turn — and started
 * again receives exactly the events it missed, and the sequence goes on without a gap. Also:
 * oversized frames do not make the process grow.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvent } from '@volundr/contracts/chat';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OWNER } from './test/broker-harness';
import { type SkuldProcess, startSkuldProcess } from './test/skuld-process';
import { connectClient } from './test/test-client';

let issuer: TestIssuer;
let dir: string;
let env: Record<string, string>;
let running: SkuldProcess | null = null;

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'skuld-it' });
  dir = mkdtempSync(join(tmpdir(), 'skuld-restart-'));
  mkdirSync(join(dir, 'ws'));
  env = {
    SKULD_SESSION_ID: 'sess-restart',
    SKULD_OWNER_ID: OWNER.sub,
    SKULD_TENANT_ID: OWNER.tenant,
    SKULD_WORKSPACE_DIR: join(dir, 'ws'),
    SKULD_OIDC_ISSUER: issuer.issuer,
    SKULD_OIDC_AUDIENCE: 'skuld-it',
    SKULD_TRANSPORT: 'fake',
    SKULD_MODEL: 'fake-model',
    SKULD_LOG_LEVEL: 'info',
  };
});
afterAll(async () => {
  await running?.stop('SIGKILL');
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

const token = () => issuer.sign(OWNER);
const contiguous = (events: ChatEvent[]) =>
  events.every((event, i) => i === 0 || event.seq === (events[i - 1]?.seq ?? 0) + 1);

it('replays exactly the missed events after a graceful restart and after a kill mid-turn', async () => {
  running = await startSkuldProcess(env);
  const watcher = await connectClient(running.url, { token: await token() });
  const laggard = await connectClient(running.url, { token: await token() });
  watcher.send({ type: 'user_message', id: 'm1', text: '@deltas 20 3' });
  await laggard.waitFor((e) => e.type === 'turn_completed');
  await laggard.close();
  const laggardSeq = laggard.durable().at(-1)?.seq ?? 0;
  // The laggard misses this turn.
  watcher.send({ type: 'user_message', id: 'm2', text: '@bash ls\n@deltas 30\nbye' });
  const m2Done = await watcher.waitFor((e) => e.type === 'turn_completed' && e.seq > laggardSeq);
  await watcher.close();
  const probe = await connectClient(running.url, { token: await token() });
  const firstReady = probe.events.at(-1);
  expect(firstReady?.type === 'ready' && firstReady.cliSessionId).toMatch(/^fake-/);
  await probe.close();

  expect(await running.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  running = await startSkuldProcess(env);

  const back = await connectClient(running.url, { token: await token(), after: laggardSeq });
  const missed = watcher.durable().filter((e) => e.seq > laggardSeq);
  expect(missed.at(-1)?.seq).toBe(m2Done.seq);
  expect(back.durable()).toEqual(missed);
  // The CLI session id survived the restart (resume).
  expect(back.events.at(-1)).toMatchObject({
    type: 'ready',
    cliSessionId: firstReady?.type === 'ready' ? firstReady.cliSessionId : 'missing',
  });
  back.send({ type: 'user_message', id: 'm3', text: '@sleep 60000' });
  const started = await back.waitFor((e) => e.type === 'turn_started');
  expect(started.seq).toBe(m2Done.seq + 2); // m3's echo, then its turn
  const lastSeen = back.durable().at(-1)?.seq ?? 0;

  // Killed mid-turn: no chance to write anything more.
  expect((await running.stop('SIGKILL')).signal).toBe('SIGKILL');
  running = await startSkuldProcess(env);
  const again = await connectClient(running.url, { token: await token(), after: lastSeen });
  const closing = await again.waitFor((e) => e.type === 'turn_failed', { from: 0 });
  expect(closing).toMatchObject({
    seq: lastSeen + 1,
    turnId: started.type === 'turn_started' ? started.turnId : '',
    error: { code: 'broker_restarted' },
  });
  // The whole log, read from the start, is gap-free and has every turn closed exactly once.
  const whole = await connectClient(running.url, { token: await token() });
  const all = whole.durable();
  expect(all[0]?.seq).toBe(1);
  expect(contiguous(all)).toBe(true);
  const startedTurns = all.filter((e) => e.type === 'turn_started').length;
  const endedTurns = all.filter((e) => e.type === 'turn_completed' || e.type === 'turn_failed').length;
  expect(endedTurns).toBe(startedTurns);
  await Promise.all([back.close(), again.close(), whole.close()]);
});

it('refuses frames over 1 MiB with 1009 without the process growing', async () => {
  running ??= await startSkuldProcess(env);
  const big = Buffer.alloc(4 * 1024 * 1024, 0x61);
  const attempt = async () => {
    const client = await connectClient(running?.url ?? '', { token: await token() });
    client.sendRaw(big);
    expect((await client.closed).code).toBe(1009);
  };
  // The first refusals raise the allocator's high-water mark (socket reads are dropped, not
  // kept); after that, offering 160 MiB more must not move RSS more than a few MB.
  for (let i = 0; i < 10; i++) await attempt();
  const before = running.rssBytes();
  for (let i = 0; i < 40; i++) await attempt();
  const grown = running.rssBytes() - before;
  expect(grown).toBeLessThan(16 * 1024 * 1024);
  // Still serving.
  const client = await connectClient(running.url, { token: await token() });
  client.send({ type: 'ping' });
  await client.waitFor((e) => e.type === 'pong');
  await client.close();
});
