import { describe, expect, it } from 'vitest';
import { aChronicle } from '../testing/chronicle-builder';
import { projectOf } from './chronicle-record';
import { completionDecision } from './completion-rules';
import { fileStatus } from './file-status';
import { reforgeName, reforgePrompt, reforgeSessionInput } from './reforge-input';
import { summaryFromTimeline } from './timeline-summary';
import { burnView, perModel, usageView } from './usage-views';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);

describe('file status over a session', () => {
  it('a delete wins, else a create gives new, else modified', () => {
    expect(fileStatus({ created: true, deleted: true })).toBe('deleted');
    expect(fileStatus({ created: false, deleted: true })).toBe('deleted');
    expect(fileStatus({ created: true, deleted: false })).toBe('new');
    expect(fileStatus({ created: false, deleted: false })).toBe('modified');
  });
});

describe('completion rules', () => {
  const facts = (o: Partial<Parameters<typeof completionDecision>[0]> = {}) => ({
    status: 'draft' as const,
    partial: false,
    reportReceivedAt: null,
    updatedAt: t0,
    sessionState: 'stopped' as const,
    sessionStoppedAt: t0,
    ...o,
  });
  const grace = 60_000;

  it('completes once the session has ended and the report is in, keeping what the report said', () => {
    expect(completionDecision(facts({ reportReceivedAt: t0 }), later(1), grace)).toEqual({
      complete: true,
      partial: false,
      fromTimeline: false,
    });
    expect(completionDecision(facts({ reportReceivedAt: t0, partial: true }), later(1), grace)).toMatchObject({
      partial: true,
    });
  });

  it('waits for the report during the grace period, then completes partial from the timeline', () => {
    expect(completionDecision(facts(), later(59), grace)).toEqual({ complete: false, reason: 'awaiting_report' });
    expect(completionDecision(facts(), later(60), grace)).toEqual({
      complete: true,
      partial: true,
      fromTimeline: true,
    });
  });

  it('never completes while the session is active, nor twice', () => {
    for (const state of ['created', 'starting', 'provisioning', 'running', 'stopping'] as const) {
      expect(completionDecision(facts({ sessionState: state, reportReceivedAt: t0 }), later(999), grace)).toEqual({
        complete: false,
        reason: 'session_active',
      });
    }
    expect(completionDecision(facts({ status: 'complete' }), later(999), grace)).toMatchObject({ reason: 'not_draft' });
  });

  it('failed and archived sessions have ended; a deleted session counts from the last update', () => {
    expect(completionDecision(facts({ sessionState: 'failed', reportReceivedAt: t0 }), t0, grace).complete).toBe(true);
    expect(completionDecision(facts({ sessionState: 'archived', reportReceivedAt: t0 }), t0, grace).complete).toBe(
      true,
    );
    const gone = facts({ sessionState: null, sessionStoppedAt: null, updatedAt: later(100) });
    expect(completionDecision(gone, later(159), grace).complete).toBe(false);
    expect(completionDecision(gone, later(160), grace)).toMatchObject({ complete: true, partial: true });
  });
});

describe('reforge input', () => {
  it('names: previous name + -reforged, numbered when taken, without stacking suffixes, ≤ 63 characters', () => {
    expect(reforgeName('fix-login', 1)).toBe('fix-login-reforged');
    expect(reforgeName('fix-login', 2)).toBe('fix-login-reforged-2');
    expect(reforgeName('fix-login-reforged', 1)).toBe('fix-login-reforged');
    expect(reforgeName('fix-login-reforged-3', 4)).toBe('fix-login-reforged-4');
    expect(reforgeName(null, 1)).toBe('session-reforged');
    const long = reforgeName('a'.repeat(63), 12);
    expect(long).toHaveLength(63);
    expect(long.endsWith('-reforged-12')).toBe(true);
    expect(reforgeName(`${'b'.repeat(53)}-x`, 1)).toMatch(/^b+-reforged$/);
    for (const name of [long, reforgeName('Weird Name!', 1), reforgeName('---', 1)])
      expect(name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });

  it('the initial prompt carries the summary, key changes and unfinished work; the session keeps repo, branch, model, template, profile', () => {
    const chronicle = aChronicle();
    const prompt = reforgePrompt(chronicle);
    expect(prompt).toContain('"fix-login" on https://github.com/acme/api.git (branch feature/x)');
    expect(prompt).toContain('What was done:\nFixed the login form.');
    expect(prompt).toContain('Key changes:\n- src/login.ts: validation');
    expect(prompt).toContain('Unfinished work:\nAdd a test for the error path.');
    expect(reforgeSessionInput(chronicle, 'fix-login-reforged')).toEqual({
      name: 'fix-login-reforged',
      model: 'claude-sonnet',
      source: { type: 'git', repo: 'https://github.com/acme/api.git', branch: 'feature/x' },
      templateName: 'web-app',
      profileName: 'big',
      initialPrompt: prompt,
      start: true,
    });
    const blank = reforgeSessionInput(
      aChronicle({ repo: null, branch: null, templateName: null, profileName: null }),
      'x',
    );
    expect(blank).toMatchObject({ source: { type: 'blank' } });
    expect(blank).not.toHaveProperty('templateName');
    expect(reforgePrompt(aChronicle({ unfinishedWork: null, summary: null, keyChanges: [] }))).toContain(
      'Unfinished work:\n(none recorded)',
    );
    expect(reforgePrompt(aChronicle({ summary: 'x'.repeat(200_000) })).length).toBe(100_000);
  });
});

describe('summary from the timeline alone', () => {
  it('counts files and commits and lists them as key changes', () => {
    const built = summaryFromTimeline({
      files: [
        { path: 'a.ts', insertions: 3, deletions: 1, status: 'new', changes: 2, lastChangedAt: t0.toISOString() },
        { path: 'b.md', insertions: 0, deletions: 9, status: 'deleted', changes: 1, lastChangedAt: t0.toISOString() },
      ],
      fileTotals: { files: 2, insertions: 3, deletions: 10 },
      commits: [
        {
          hash: 'abcdef0123',
          shortHash: 'abcdef0',
          message: 'Add a',
          at: t0.toISOString(),
          insertions: 3,
          deletions: 1,
        },
      ],
      moreCommits: false,
    });
    expect(built.summary).toContain('2 files changed (+3 −10), 1 commit.');
    expect(built.summary).toContain('Last commit: abcdef0 Add a.');
    expect(built.keyChanges).toEqual(['commit abcdef0: Add a', 'new a.ts (+3 −1)', 'deleted b.md (+0 −9)']);
    const empty = summaryFromTimeline({
      files: [],
      fileTotals: { files: 0, insertions: 0, deletions: 0 },
      commits: [],
      moreCommits: false,
    });
    expect(empty.summary).toContain('no file changes recorded, no commits');
    expect(empty.keyChanges).toEqual([]);
  });
});

describe('usage views', () => {
  const counts = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, cacheWriteTokens: 1, costUsd: 0.1 };

  it('totals sum every model; tokens count input, output and cache; cost keeps six decimals', () => {
    const view = usageView([
      { model: 'b', turns: 2, ...counts },
      { model: 'a', turns: 1, ...counts, costUsd: 0.2 },
    ]);
    expect(view.turns).toBe(3);
    expect(view.total).toEqual({
      inputTokens: 20,
      outputTokens: 10,
      cacheReadTokens: 4,
      cacheWriteTokens: 2,
      tokens: 36,
      costUsd: 0.3,
    });
    expect(view.byModel.map((m) => m.model)).toEqual(['a', 'b']);
  });

  it('burn buckets start at t = bucket × size from the start, per model, and sum to the totals', () => {
    const rows = [
      { bucket: 0, model: 'a', turns: 1, ...counts },
      { bucket: 0, model: 'b', turns: 2, ...counts },
      { bucket: 3, model: 'a', turns: 1, ...counts },
    ];
    const burn = burnView(rows, t0, 300);
    expect(burn.startedAt).toBe(t0.toISOString());
    expect(burn.buckets.map((b) => [b.t, b.at, b.total.tokens, b.byModel.length])).toEqual([
      [0, t0.toISOString(), 36, 2],
      [900, later(900).toISOString(), 18, 1],
    ]);
    expect(burnView([], null, 60)).toEqual({ bucketSeconds: 60, startedAt: null, buckets: [] });
    // The totals come from the same rows, summed per model.
    expect(usageView(perModel(rows))).toMatchObject({
      turns: 4,
      total: { tokens: 54, costUsd: 0.3 },
      byModel: [
        expect.objectContaining({ model: 'a', tokens: 36 }),
        expect.objectContaining({ model: 'b', tokens: 18 }),
      ],
    });
  });
});

describe('project of a repository', () => {
  it('is the last path segment without .git', () => {
    expect(projectOf('https://github.com/acme/api.git')).toBe('api');
    expect(projectOf('git@github.com:acme/web')).toBe('web');
    expect(projectOf('file:///tmp/repo/')).toBe('repo');
    expect(projectOf(null)).toBeNull();
  });
});
