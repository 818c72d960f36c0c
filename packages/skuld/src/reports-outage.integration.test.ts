/**
 * The real broker process reports to an API that is unreachable for a while (closed port, then
 * an answer lost after storing): once it is back, every usage, timeline and final report
 * arrives, and nothing is counted twice. Git commits and terminal-made file changes in the
 * workspace are part of the timeline.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityReport, Report, TimelineReport } from '@volundr/contracts/reports';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OWNER } from './test/broker-harness';
import { createReportReceiver, type ReportReceiver } from './test/report-receiver';
import { type SkuldProcess, startSkuldProcess } from './test/skuld-process';
import { connectClient } from './test/test-client';

let issuer: TestIssuer;
let receiver: ReportReceiver;
let dir: string;
let workspace: string;
let skuld: SkuldProcess | null = null;

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.test',
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, env: gitEnv, encoding: 'utf8' }).trim();

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'skuld-it' });
  receiver = await createReportReceiver();
  dir = mkdtempSync(join(tmpdir(), 'skuld-outage-'));
  workspace = join(dir, 'ws');
  mkdirSync(workspace);
  git('init', '-q', '-b', 'main');
  writeFileSync(join(workspace, 'README.md'), 'hello\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
});
afterAll(async () => {
  await skuld?.stop('SIGKILL');
  await receiver.close();
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

const timeline = (reports: Report[], type: TimelineReport['type']) =>
  reports.filter((r): r is TimelineReport => r.kind === 'timeline' && r.type === type);

it('delivers every report after an API outage, each once, including the final report at SIGTERM', async () => {
  skuld = await startSkuldProcess({
    SKULD_SESSION_ID: 'sess-outage',
    SKULD_OWNER_ID: OWNER.sub,
    SKULD_TENANT_ID: OWNER.tenant,
    SKULD_WORKSPACE_DIR: workspace,
    SKULD_OIDC_ISSUER: issuer.issuer,
    SKULD_OIDC_AUDIENCE: 'skuld-it',
    SKULD_TRANSPORT: 'fake',
    SKULD_MODEL: 'fake-model',
    SKULD_API_URL: receiver.url,
    SKULD_REPORT_TOKEN: 'session-report-token',
    SKULD_REPORT_RETRY_MIN_MS: '50',
    SKULD_REPORT_RETRY_MAX_MS: '200',
    SKULD_SHUTDOWN_FLUSH_MS: '20000',
  });
  // The API is down (nothing listens on its port) for everything below.
  const client = await connectClient(skuld.url, { token: await issuer.sign(OWNER) });
  client.send({
    type: 'user_message',
    id: 'u1',
    text: '@usage 120 30 0.25\n@bash npm test\n@file src/app.ts 12 0\nfirst',
  });
  client.send({ type: 'user_message', id: 'u2', text: '@usage 200 50\nsecond' });
  await client.waitForCount((e) => e.type === 'turn_completed', 2);
  // Work done outside the agent: a terminal-made file and a commit.
  writeFileSync(join(workspace, 'notes.md'), 'a\nb\nc\n');
  git('add', 'notes.md');
  git('commit', '-q', '-m', 'Add notes');
  const commit = git('rev-parse', 'HEAD');
  await skuld.waitForLog('report delivery failed');
  expect(receiver.reports).toEqual([]);
  expect(readdirSync(join(workspace, '.volundr', 'outbox')).length).toBeGreaterThan(0);

  // Back, but the first answer is lost after the batch was stored.
  receiver.mode = 'store-then-drop';
  await receiver.up();
  await receiver.waitFor(
    (reports) =>
      timeline(reports, 'git').length === 1 &&
      timeline(reports, 'file').some((r) => r.label === 'notes.md') &&
      reports.filter((r) => r.kind === 'usage').length === 2,
  );

  // Down again when the session is stopped: the final report waits in the outbox until it is back.
  await receiver.down();
  const mark = skuld.stderr().length;
  const stopped = skuld.stop('SIGTERM');
  await skuld.waitForLog('stop requested', { from: mark });
  await skuld.waitForLog('report delivery failed', { from: mark });
  await receiver.up();
  expect(await stopped).toEqual({ code: 0, signal: null });
  skuld = null;

  const reports = receiver.reports;
  expect(receiver.requests.every((r) => r.authorization === 'Bearer session-report-token')).toBe(true);
  expect(receiver.requests.every((r) => r.path === '/api/v1/sessions/sess-outage/reports')).toBe(true);
  expect([...receiver.deliveries.values()].some((count) => count > 1)).toBe(true); // a retry happened…
  expect(new Set(reports.map((r) => r.key)).size).toBe(reports.length); // …and was stored once

  const usage = reports.filter((r) => r.kind === 'usage');
  expect(usage.map((r) => [r.inputTokens, r.outputTokens, r.model])).toEqual([
    [120, 30, 'fake-model'],
    [200, 50, 'fake-model'],
  ]);
  expect(usage[0]).toMatchObject({ costUsd: 0.25 });
  expect(timeline(reports, 'session')).toHaveLength(1);
  expect(timeline(reports, 'message').map((r) => r.label)).toEqual(['You said: first', 'You said: second']);
  expect(timeline(reports, 'terminal')).toEqual([expect.objectContaining({ label: 'npm test', exitCode: 0 })]);
  expect(timeline(reports, 'file').map((r) => [r.label, r.action, r.insertions])).toEqual([
    ['src/app.ts', 'created', 12],
    ['notes.md', 'created', 3],
  ]);
  expect(timeline(reports, 'git')).toEqual([
    expect.objectContaining({ hash: commit, label: 'Add notes', insertions: 3 }),
  ]);
  const activity = reports.filter((r): r is ActivityReport => r.kind === 'activity');
  const states = activity.flatMap((r) => (r.key.startsWith('activity:') ? [r.state] : []));
  expect(states).toEqual(['active', 'tool_executing', 'active', 'idle', 'active', 'idle']);
  // Every activity report says how many chat clients are connected; the client connecting is one too.
  expect(activity.every((r) => typeof r.metadata.connections === 'number')).toBe(true);
  expect(activity.find((r) => r.key.startsWith('connections:'))).toMatchObject({
    state: 'idle',
    metadata: { connections: 1 },
  });
  const finals = reports.filter((r) => r.kind === 'final');
  expect(finals).toHaveLength(1);
  expect(finals[0]).toMatchObject({
    summary: 'Fake session with 2 turn(s)',
    keyChanges: ['@usage 120 30 0.25', '@usage 200 50'],
  });
  expect(readdirSync(join(workspace, '.volundr', 'outbox')).filter((n) => n.endsWith('.json'))).toEqual([]);
  // The broker's state never shows up as a change in the user's repository.
  expect(git('status', '--porcelain')).toBe('');
});
