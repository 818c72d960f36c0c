// The local runtime's promise: chat and terminal connections go from the front door straight to
// the session's processes, so killing the API mid-turn cuts neither; the API comes back by
// itself, and what the broker reported while it was gone arrives afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvent } from '@volundr/contracts/chat';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createChatClient } from '../../../../packages/sdk/src/chat-client';
import { TtydClient } from '../../../../packages/terminal/src/test/ttyd-client';
import { freePort, type RunningUp, runCli, startUp } from '../test/run-cli';
import { readUpState } from './state-file';

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads the sessions SSE stream until the session is running (or failed: then it throws). */
async function untilRunning(url: string, token: string, id: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/sessions/stream`, { headers: { authorization: `Bearer ${token}` } });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const current = (await (
        await fetch(`${url}/api/v1/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as {
        state: string;
        stateReason?: string;
      };
      if (current.state === 'running') return;
      if (current.state === 'failed') throw new Error(`session failed: ${current.stateReason}`);
      const { value, done } = await reader.read();
      if (done) throw new Error('the state stream ended');
      buffer += decoder.decode(value);
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 1);
    }
  } finally {
    await reader.cancel();
  }
}

describe('an API restart during a chat turn and an open terminal', () => {
  let fake: FakeAnthropic;
  let up: RunningUp;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ script: [{ text: 'Before the restart. After the restart.', hold: true }] });
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-restart-'));
    up = await startUp(dataDir, await freePort(), {
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'test-key',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    token = (await runCli(['dev', 'token', '--data-dir', dataDir, '--user', 'admin'])).stdout.trim();
  });
  afterAll(async () => {
    await up?.stop();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps both connections, restarts the API, and delivers the usage report afterwards', async () => {
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${up.url}/api/v1/sessions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'restart', model: 'claude-sonnet-4-5', source: { type: 'blank' } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await untilRunning(up.url, token, id);

    const terminal = await TtydClient.connect({
      url: `${up.url}/s/${id}/terminal/`,
      headers: { authorization: `Bearer ${token}` },
    });
    const events: ChatEvent[] = [];
    const chat = createChatClient({
      url: `${up.url.replace('http', 'ws')}/s/${id}/ws/chat`,
      token,
      WebSocket: WebSocket as never,
    });
    chat.onEvent((event) => events.push(event));
    await chat.opened();
    chat.sendMessage('tell me something', 'm1');
    await fake.waitForHold(60_000);

    const before = readUpState(dataDir)!.apiPid!;
    process.kill(before, 'SIGKILL');
    expect((await fetch(`${up.url}/readyz`)).status).not.toBe(200);
    fake.release();

    const completed = await waitUntil(
      'the turn to complete',
      async () => events.find((e) => e.type === 'turn_completed') ?? null,
    );
    const text = events
      .filter((e) => e.type === 'text_delta')
      .map((e) => (e as { text: string }).text)
      .join('');
    expect(text).toBe('Before the restart. After the restart.');
    expect((completed as { text: string }).text).toBe(text);
    const seqs = events.filter((e) => !(e as { ephemeral?: boolean }).ephemeral).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    expect(await terminal.run('echo still-$((40+2))')).toContain('still-42');

    const after = await waitUntil('the API to come back', async () => {
      const state = readUpState(dataDir);
      return state?.apiPid && state.apiPid !== before && (await fetch(`${up.url}/readyz`)).status === 200
        ? state.apiPid
        : null;
    });
    expect(after).not.toBe(before);
    expect(up.output()).toMatch(/API process exited \(SIGKILL\); restarting in \d+ ms — sessions keep running/);

    const usage = await waitUntil('the usage report to arrive', async () => {
      const response = await fetch(`${up.url}/api/v1/sessions/${id}/usage`, { headers: auth });
      const body = (await response.json()) as { turns?: number; total?: { inputTokens: number; outputTokens: number } };
      return body.turns && body.total && body.total.outputTokens > 0 ? body.total : null;
    });
    expect(usage.outputTokens).toBeGreaterThan(0);

    chat.close();
    terminal.close();
    await fetch(`${up.url}/api/v1/sessions/${id}/stop`, { method: 'POST', headers: auth });
  });
});
