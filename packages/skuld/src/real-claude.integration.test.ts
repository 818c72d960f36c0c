/**
 * End to end through the bundled broker with the real `claude` binary (claude-sdk transport)
 * against the fake Messages API: a browser-like client asks for a file, allows the Write, sees
 * the tool and file events and the streamed answer; the API receives usage, one timeline `file`
 * event for the file (the agent's and the watcher's sightings are one change) and, at SIGTERM,
 * the final report.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TimelineReport } from '@volundr/contracts/reports';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OWNER } from './test/broker-harness';
import { createReportReceiver, type ReportReceiver } from './test/report-receiver';
import { type SkuldProcess, startSkuldProcess } from './test/skuld-process';
import { connectClient } from './test/test-client';

const claudeBinary = resolve(import.meta.dirname, '../node_modules/@anthropic-ai/claude-code/bin/claude.exe');

let issuer: TestIssuer;
let receiver: ReportReceiver;
let fake: FakeAnthropic;
let dir: string;
let skuld: SkuldProcess | null = null;

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'skuld-it' });
  receiver = await createReportReceiver();
  await receiver.up();
  fake = await startFakeAnthropic();
  dir = mkdtempSync(join(tmpdir(), 'skuld-claude-'));
  mkdirSync(join(dir, 'ws'));
  mkdirSync(join(dir, 'home'));
});
afterAll(async () => {
  await skuld?.stop('SIGKILL');
  await fake.close();
  await receiver.close();
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

it('runs a turn with a permitted Write through the real CLI and reports it', async () => {
  const workspace = join(dir, 'ws');
  fake.setScript([
    {
      text: 'Writing the notes.',
      toolUse: { name: 'Write', input: { file_path: join(workspace, 'notes.txt'), content: 'one\ntwo\n' } },
    },
    { text: 'Done: notes.txt has two lines.', usage: { input_tokens: 321, output_tokens: 12 } },
  ]);
  skuld = await startSkuldProcess({
    SKULD_SESSION_ID: 'sess-claude',
    SKULD_OWNER_ID: OWNER.sub,
    SKULD_TENANT_ID: OWNER.tenant,
    SKULD_WORKSPACE_DIR: workspace,
    SKULD_OIDC_ISSUER: issuer.issuer,
    SKULD_OIDC_AUDIENCE: 'skuld-it',
    SKULD_TRANSPORT: 'claude-sdk',
    SKULD_MODEL: 'claude-sonnet-4-5',
    SKULD_CLAUDE_BIN: claudeBinary,
    SKULD_API_URL: receiver.url,
    SKULD_REPORT_TOKEN: 'tok',
    SKULD_SUMMARY_TIMEOUT_MS: '5000',
    // What the CLI needs reaches it; SKULD_* does not.
    HOME: join(dir, 'home'),
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'test-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  });
  const client = await connectClient(skuld.url, { token: await issuer.sign(OWNER) });
  expect(client.events.at(-1)).toMatchObject({ type: 'ready', transport: 'claude-sdk', model: 'claude-sonnet-4-5' });
  client.send({ type: 'user_message', id: 'w1', text: 'Write notes.txt with two lines' });
  const request = await client.waitFor((e) => e.type === 'permission_request', { timeoutMs: 60_000 });
  expect(request).toMatchObject({ toolName: 'Write' });
  client.send({
    type: 'permission_response',
    requestId: request.type === 'permission_request' ? request.requestId : '',
    allow: true,
  });
  const done = await client.waitFor((e) => e.type === 'turn_completed', { timeoutMs: 60_000 });
  expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('one\ntwo\n');
  const types = client.events.slice(client.liveFrom).map((e) => e.type);
  for (const type of ['user_message', 'turn_started', 'text_delta', 'tool_started', 'tool_finished', 'file_changed']) {
    expect(types).toContain(type);
  }
  const text = client.events.flatMap((e) => (e.type === 'text_delta' ? [e.text] : [])).join('');
  expect(done.type === 'turn_completed' && done.text).toBe(text);
  expect(client.events.find((e) => e.type === 'file_changed')).toMatchObject({
    path: 'notes.txt',
    action: 'created',
    insertions: 2,
  });
  await client.close();

  expect(await skuld.stop('SIGTERM', 60_000)).toEqual({ code: 0, signal: null });
  skuld = null;
  const reports = receiver.reports;
  const usage = reports.filter((r) => r.kind === 'usage');
  expect(usage).toHaveLength(1);
  expect(usage[0]).toMatchObject({ model: 'claude-sonnet-4-5' });
  const files = reports.filter((r): r is TimelineReport => r.kind === 'timeline' && r.type === 'file');
  expect(files.map((r) => [r.label, r.action, r.insertions])).toEqual([['notes.txt', 'created', 2]]);
  expect(reports.filter((r) => r.kind === 'final')).toHaveLength(1);
});
