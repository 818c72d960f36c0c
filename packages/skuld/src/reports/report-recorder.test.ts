import type { ChatEvent, ChatEventBody } from '@volundr/contracts/chat';
import type { Report } from '@volundr/contracts/reports';
import { ZReport } from '@volundr/contracts/reports';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { describe, expect, it } from 'vitest';
import { countChanges, hashLines } from './line-counts';
import { createReportRecorder } from './report-recorder';

const start = new Date('2024-05-01T10:00:00.000Z');

function setup() {
  const reports: Report[] = [];
  const changed: string[] = [];
  let seq = 0;
  const recorder = createReportRecorder({
    enqueue: (report) => reports.push(ZReport.parse(report)),
    workspaceDir: '/work/ws',
    sessionStartedAt: start,
    model: () => 'claude-x',
    turnsBefore: 2,
    onChangedFile: (path) => changed.push(path),
    logger: silentLogger,
    now: () => new Date(start.getTime() + 1_000),
  });
  const feed = (...bodies: ChatEventBody[]) =>
    recorder.onEvents(
      bodies.map(
        (body) => ({ ...body, seq: ++seq, ts: new Date(start.getTime() + seq * 1_000).toISOString() }) as ChatEvent,
      ),
    );
  return { reports, changed, recorder, feed };
}

const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 3, cacheWriteTokens: 4 };

describe('report recorder', () => {
  it('reports a change in the number of chat connections as activity in the current state', () => {
    const { reports, feed, recorder } = setup();
    recorder.connectionsChanged(2);
    recorder.connectionsChanged(2);
    feed({ type: 'turn_started', turnId: 't1', userMessageId: 'm1' });
    recorder.connectionsChanged(1);
    const activity = reports.filter((r) => r.kind === 'activity');
    expect(activity.map((r) => (r.kind === 'activity' ? [r.state, r.metadata] : null))).toEqual([
      ['idle', { connections: 2 }],
      ['active', { turnId: 't1', connections: 2 }],
      ['active', { turnId: 't1', connections: 1 }],
    ]);
    expect(new Set(activity.map((r) => r.key)).size).toBe(3);
  });

  it('reports usage, a message, activity changes, commands, tool uses and files of a turn', () => {
    const { reports, feed, changed } = setup();
    feed(
      { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
      { type: 'tool_started', turnId: 't1', toolUseId: 'a', name: 'Bash', input: { command: 'npm test\n--watch' } },
      { type: 'tool_finished', turnId: 't1', toolUseId: 'a', output: 'Exit code 2\nfailed', isError: true },
      { type: 'tool_started', turnId: 't1', toolUseId: 'b', name: 'Write', input: { file_path: '/work/ws/a.ts' } },
      { type: 'tool_finished', turnId: 't1', toolUseId: 'b', output: 'ok', isError: false },
      { type: 'file_changed', turnId: 't1', path: '/work/ws/src/a.ts', action: 'created', insertions: 3 },
      { type: 'tool_started', turnId: 't1', toolUseId: 'c', name: 'Grep', input: { pattern: 'x' } },
      { type: 'tool_finished', turnId: 't1', toolUseId: 'c', output: '', isError: false },
      { type: 'turn_completed', turnId: 't1', text: '\nDone: added a.ts\nmore', usage, costUsd: 0.5, durationMs: 10 },
    );
    const byKind = (kind: string) => reports.filter((r) => r.kind === kind);
    expect(byKind('usage')).toEqual([
      expect.objectContaining({ key: 'usage:t1', turnId: 't1', model: 'claude-x', ...usage, costUsd: 0.5 }),
    ]);
    expect(byKind('activity').map((r) => (r.kind === 'activity' ? r.state : ''))).toEqual([
      'active',
      'tool_executing',
      'active',
      'tool_executing',
      'active',
      'tool_executing',
      'active',
      'idle',
    ]);
    const timeline = reports.flatMap((r) => (r.kind === 'timeline' ? [r] : []));
    expect(timeline.map((r) => [r.type, r.label])).toEqual([
      ['terminal', 'npm test'],
      ['file', 'src/a.ts'],
      ['tool_use', 'Grep'],
      ['message', 'Done: added a.ts'],
    ]);
    expect(timeline[0]).toMatchObject({ exitCode: 2, t: 2 });
    expect(timeline[1]).toMatchObject({ action: 'created', insertions: 3 });
    expect(timeline[3]).toMatchObject({ tokens: 120, model: 'claude-x' });
    expect(changed).toEqual(['src/a.ts']);
    expect(new Set(reports.map((r) => r.key)).size).toBe(reports.length);
  });

  it('labels an empty reply with the turn number and reports failures and errors', () => {
    const { reports, feed } = setup();
    feed(
      { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
      { type: 'turn_completed', turnId: 't1', text: '', usage, durationMs: 1 },
      { type: 'turn_started', turnId: 't2', userMessageId: 'm2' },
      { type: 'turn_failed', turnId: 't2', error: { code: 'transport_exited', message: 'claude exited with code 1' } },
      { type: 'error', code: 'bad_line', message: 'x'.repeat(300) },
    );
    const timeline = reports.flatMap((r) => (r.kind === 'timeline' ? [r] : []));
    expect(timeline[0]).toMatchObject({ type: 'message', label: 'Turn 3' });
    expect(timeline[1]).toMatchObject({
      type: 'error',
      label: 'Turn failed (transport_exited): claude exited with code 1',
    });
    expect(timeline[2]?.label.length).toBe(120);
  });

  it('counts a watcher change the agent already reported once, and reports terminal-made changes', () => {
    const { reports, feed, recorder } = setup();
    const at = new Date();
    feed({ type: 'turn_started', turnId: 't1', userMessageId: 'm1' });
    recorder.onFileChanges([{ path: 'src/a.ts', action: 'created', insertions: 3, deletions: 0, at }]);
    feed({ type: 'file_changed', turnId: 't1', path: 'src/a.ts', action: 'created', insertions: 3 });
    recorder.onFileChanges([{ path: 'src/b.ts', action: 'modified', insertions: 1, deletions: 1, at }]);
    feed({ type: 'turn_completed', turnId: 't1', text: 'ok', usage, durationMs: 1 });
    // After the turn: a late watcher notice for a.ts is the same change; c.ts came from the terminal.
    recorder.onFileChanges([
      { path: 'src/a.ts', action: 'modified', insertions: 0, deletions: 0, at },
      { path: 'c.ts', action: 'deleted', insertions: 0, deletions: 4, at },
    ]);
    const files = reports.flatMap((r) => (r.kind === 'timeline' && r.type === 'file' ? [[r.label, r.action]] : []));
    expect(files).toEqual([
      ['src/a.ts', 'created'],
      ['src/b.ts', 'modified'],
      ['c.ts', 'deleted'],
    ]);
  });

  it('reports commits with their hash and line counts, and the session start', () => {
    const { reports, recorder } = setup();
    recorder.sessionStarted();
    recorder.onCommits([
      {
        hash: 'a'.repeat(40),
        subject: 'Add a',
        committedAt: new Date(start.getTime() + 60_000),
        insertions: 5,
        deletions: 1,
      },
    ]);
    expect(reports).toEqual([
      expect.objectContaining({ kind: 'timeline', type: 'session', key: 'session:start', t: 1 }),
      expect.objectContaining({
        kind: 'timeline',
        type: 'git',
        key: `git:${'a'.repeat(40)}`,
        hash: 'a'.repeat(40),
        t: 60,
        insertions: 5,
      }),
    ]);
  });
});

describe('line counts', () => {
  it('counts inserted and deleted lines as a multiset', () => {
    const before = hashLines('a\nb\nc\n');
    expect(countChanges(before, hashLines('a\nb\nc\n'))).toEqual({ insertions: 0, deletions: 0 });
    expect(countChanges(before, hashLines('a\nB\nc\nd\n'))).toEqual({ insertions: 2, deletions: 1 });
    expect(countChanges(before, hashLines(''))).toEqual({ insertions: 0, deletions: 3 });
    expect(countChanges(hashLines(''), hashLines('x'))).toEqual({ insertions: 1, deletions: 0 });
  });
});
