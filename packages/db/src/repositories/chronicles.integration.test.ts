import type { FinalReport, TimelineReport, UsageReport } from '@volundr/contracts/reports';
import type { SessionState } from '@volundr/contracts/sessions';
import type { SessionFacts } from '@volundr/core/chronicles/ports/session-lookup';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { expect, it } from 'vitest';
import type { Database } from '../client';
import { createReportStore, createSessionLookup } from './chronicle-reports';
import { createChroniclesRepository } from './chronicles';
import { createTimelineEventsRepository } from './timeline-events';
import { createTokenUsageRepository } from './token-usage';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

async function seedSession(
  db: Database,
  id: string,
  options: { owner?: string; state?: SessionState; parent?: string | null; stoppedAt?: Date | null } = {},
): Promise<void> {
  const owner = options.owner ?? 'u-alice';
  await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('t-1', '/t-1/', 'T') ON CONFLICT DO NOTHING`);
  await db.execute(`INSERT INTO users (id, status) VALUES ($1, 'active') ON CONFLICT DO NOTHING`, [owner]);
  await db.execute(
    `INSERT INTO sessions (id, name, owner_id, tenant_id, model, source, state, template_name, profile_name,
       parent_chronicle_id, stopped_at, created_at, updated_at)
     VALUES ($1, $2, $3, 't-1', 'claude-sonnet', $4::jsonb, $5, 'tpl', 'prof', $6, $7, $8, $8)`,
    [
      id,
      `name-${id}`,
      owner,
      JSON.stringify({ type: 'git', repo: 'https://github.com/acme/api.git', branch: 'feature/x' }),
      options.state ?? 'running',
      options.parent ?? null,
      options.stoppedAt?.toISOString() ?? null,
      t0.toISOString(),
    ],
  );
}

const usage = (key: string, seconds: number, model = 'claude-sonnet', tokens = 100, cost = 0.25): UsageReport => ({
  kind: 'usage',
  key,
  occurredAt: iso(seconds),
  turnId: key,
  model,
  inputTokens: tokens,
  outputTokens: tokens / 2,
  cacheReadTokens: 10,
  cacheWriteTokens: 5,
  costUsd: cost,
});

const file = (
  key: string,
  seconds: number,
  path: string,
  action: 'created' | 'modified' | 'deleted',
  ins: number,
  del: number,
): TimelineReport => ({
  kind: 'timeline',
  key,
  occurredAt: iso(seconds),
  type: 'file',
  t: seconds,
  label: path,
  action,
  insertions: ins,
  deletions: del,
});

const commit = (hash: string, seconds: number, message: string): TimelineReport => ({
  kind: 'timeline',
  key: `git:${hash}`,
  occurredAt: iso(seconds),
  type: 'git',
  t: seconds,
  label: message,
  hash,
  insertions: 3,
  deletions: 1,
});

const final = (key: string, summary: string, partial?: boolean): FinalReport => ({
  kind: 'final',
  key,
  occurredAt: iso(900),
  summary,
  keyChanges: ['Added README'],
  unfinishedWork: 'Write tests',
  durationSeconds: 900.4,
  ...(partial === undefined ? {} : { partial }),
});

describeBothDatabases('chronicle repositories', (getDb) => {
  const lookup = () => createSessionLookup(getDb());
  const store = () => createReportStore(getDb());
  const chronicles = () => createChroniclesRepository(getDb());
  const timeline = () => createTimelineEventsRepository(getDb());
  const tokens = () => createTokenUsageRepository(getDb());
  const facts = async (id: string): Promise<SessionFacts> => {
    const found = await lookup().byId(id);
    if (!found) throw new Error(`no session ${id}`);
    return found;
  };
  const options = (id: string, seconds = 0) => ({
    newChronicleId: id,
    at: at(seconds),
    completeOnFinal: false,
    reopenOnNewEvents: true,
  });

  it('session lookup reads the facts chronicles need, null for an unknown session', async () => {
    await seedSession(getDb(), 's-look');
    expect(await facts('s-look')).toEqual({
      id: 's-look',
      ownerId: 'u-alice',
      tenantId: 't-1',
      name: 'name-s-look',
      model: 'claude-sonnet',
      source: { type: 'git', repo: 'https://github.com/acme/api.git', branch: 'feature/x' },
      templateName: 'tpl',
      profileName: 'prof',
      state: 'running',
      parentChronicleId: null,
      runningSince: null,
      stoppedAt: null,
    });
    expect(await lookup().byId('nope')).toBeNull();
  });

  it('the same batch stored three times counts once: rows, counters and the file summary', async () => {
    await seedSession(getDb(), 's-idem');
    const session = await facts('s-idem');
    const batch = {
      usage: [usage('usage:t1', 30), usage('usage:t2', 400, 'claude-haiku', 40, 0.05)],
      timeline: [
        { kind: 'timeline', key: 'session:start', occurredAt: iso(0), type: 'session', t: 0, label: 'Session started' },
        file('file:1', 10, 'README.md', 'created', 10, 0),
        file('file:2', 20, 'README.md', 'modified', 2, 1),
        file('file:3', 25, 'old.txt', 'deleted', 0, 7),
        commit('a'.repeat(40), 60, 'Add README'),
      ] satisfies TimelineReport[],
      final: null,
    };
    const first = await store().store(session, batch, options('c-idem'));
    expect(first).toEqual({ chronicleId: 'c-idem', newUsage: 2, newTimeline: 5 });
    for (let i = 0; i < 2; i++) {
      expect(await store().store(session, batch, options('c-other'))).toEqual({
        chronicleId: 'c-idem',
        newUsage: 0,
        newTimeline: 0,
      });
    }
    const [counters] = await getDb().execute<{ tokens_used: string; cost_usd: string; message_count: number }>(
      'SELECT tokens_used, cost_usd, message_count FROM sessions WHERE id = $1',
      ['s-idem'],
    );
    // (100 + 50 + 10 + 5) + (40 + 20 + 10 + 5)
    expect({ ...counters, cost_usd: Number(counters?.cost_usd) }).toEqual({
      tokens_used: '240',
      cost_usd: 0.3,
      message_count: 2,
    });
    const chronicle = await chronicles().bySession('s-idem');
    expect(chronicle).toMatchObject({
      id: 'c-idem',
      status: 'draft',
      tokensUsed: 240,
      costUsd: 0.3,
      repo: 'https://github.com/acme/api.git',
      project: 'api',
      branch: 'feature/x',
      model: 'claude-sonnet',
      templateName: 'tpl',
      profileName: 'prof',
      sessionName: 'name-s-idem',
      startedAt: t0,
    });
    const files = await timeline().files('c-idem', 100);
    expect(files.totals).toEqual({ files: 2, insertions: 12, deletions: 8 });
    expect(files.rows).toEqual([
      {
        path: 'old.txt',
        insertions: 0,
        deletions: 7,
        changes: 1,
        created: false,
        deleted: true,
        lastChangedAt: at(25),
      },
      {
        path: 'README.md',
        insertions: 12,
        deletions: 1,
        changes: 2,
        created: true,
        deleted: false,
        lastChangedAt: at(20),
      },
    ]);
    // A page shorter than the summary: totals still count every path.
    const firstPath = await timeline().files('c-idem', 1);
    expect(firstPath.rows.map((r) => r.path)).toEqual(['old.txt']);
    expect(firstPath.totals).toEqual({ files: 2, insertions: 12, deletions: 8 });
    expect((await timeline().page({ chronicleId: 'c-idem', limit: 100 })).length).toBe(5);
  });

  it('keys are per session: the same key in two sessions is two reports', async () => {
    await seedSession(getDb(), 's-k1');
    await seedSession(getDb(), 's-k2');
    const batch = { usage: [usage('usage:same', 5)], timeline: [], final: null };
    expect((await store().store(await facts('s-k1'), batch, options('c-k1'))).newUsage).toBe(1);
    expect((await store().store(await facts('s-k2'), batch, options('c-k2'))).newUsage).toBe(1);
  });

  it('concurrent deliveries of one batch store it once', async () => {
    await seedSession(getDb(), 's-race');
    const session = await facts('s-race');
    const batch = { usage: [usage('usage:r', 5)], timeline: [file('file:r', 5, 'a.ts', 'created', 3, 0)], final: null };
    const results = await Promise.all([1, 2, 3].map((n) => store().store(session, batch, options(`c-race-${n}`))));
    expect(results.reduce((n, r) => n + r.newUsage + r.newTimeline, 0)).toBe(2);
    expect(new Set(results.map((r) => r.chronicleId)).size).toBe(1);
    expect((await tokens().byModel('s-race'))[0]?.turns).toBe(1);
  });

  it('token aggregates: per model, and a burn whose buckets sum to the usage', async () => {
    await seedSession(getDb(), 's-burn');
    const session = await facts('s-burn');
    await store().store(
      session,
      {
        usage: [usage('u1', 10), usage('u2', 299), usage('u3', 300, 'claude-haiku', 20, 0.01), usage('u4', 1000)],
        timeline: [
          { kind: 'timeline', key: 'session:start', occurredAt: iso(0), type: 'session', t: 0, label: 'start' },
        ],
        final: null,
      },
      options('c-burn'),
    );
    const byModel = await tokens().byModel('s-burn');
    expect(byModel).toEqual([
      {
        model: 'claude-haiku',
        turns: 1,
        inputTokens: 20,
        outputTokens: 10,
        cacheReadTokens: 10,
        cacheWriteTokens: 5,
        costUsd: 0.01,
      },
      {
        model: 'claude-sonnet',
        turns: 3,
        inputTokens: 300,
        outputTokens: 150,
        cacheReadTokens: 30,
        cacheWriteTokens: 15,
        costUsd: 0.75,
      },
    ]);
    expect(await tokens().firstAt('s-burn')).toEqual(at(10));
    const burn = await tokens().burn('s-burn', t0, 300);
    expect(burn.map((b) => [b.bucket, b.model, b.inputTokens, b.turns])).toEqual([
      [0, 'claude-sonnet', 200, 2],
      [1, 'claude-haiku', 20, 1],
      [3, 'claude-sonnet', 100, 1],
    ]);
    const minute = await tokens().burn('s-burn', t0, 60);
    expect(minute.map((b) => b.bucket)).toEqual([0, 4, 5, 16]);
    // Buckets that are not whole minutes aggregate every report, from the same minute-aligned start.
    const odd = await tokens().burn('s-burn', at(30), 90);
    expect(odd.map((b) => [b.bucket, b.model, b.turns])).toEqual([
      [0, 'claude-sonnet', 1],
      [3, 'claude-haiku', 1],
      [3, 'claude-sonnet', 1],
      [11, 'claude-sonnet', 1],
    ]);
    const sum = (rows: typeof odd) => rows.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0);
    expect(sum(odd)).toBe(sum(burn));
    // Usage before the start falls into the first bucket.
    expect((await tokens().burn('s-burn', at(500), 300)).map((b) => [b.bucket, b.model])).toEqual([
      [0, 'claude-haiku'],
      [0, 'claude-sonnet'],
      [1, 'claude-sonnet'],
    ]);
  });

  it('timeline pages: types, time range and a keyset cursor; commits newest first; last t', async () => {
    await seedSession(getDb(), 's-page');
    const session = await facts('s-page');
    const events: TimelineReport[] = [];
    for (let i = 0; i < 30; i++) {
      events.push(
        i % 3 === 0
          ? commit(i.toString(16).padStart(7, '0'), i * 10, `commit ${i}`)
          : {
              kind: 'timeline',
              key: `term:${i}`,
              occurredAt: iso(i * 10),
              type: 'terminal',
              t: i * 10 + 0.7,
              label: `cmd ${i}`,
              exitCode: i % 2,
            },
      );
    }
    await store().store(session, { usage: [], timeline: events, final: null }, options('c-page'));
    const all = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await timeline().page({ chronicleId: 'c-page', limit: 7, ...(after ? { after } : {}) });
      all.push(...page);
      const last = page.at(-1);
      if (page.length < 7 || !last) break;
      after = { at: last.at, id: last.id };
    }
    expect(all.map((e) => e.label)).toEqual(events.map((e) => e.label));
    expect(all[1]).toMatchObject({ type: 'terminal', t: 10, exitCode: 1, hash: null, action: null });

    const gits = await timeline().page({ chronicleId: 'c-page', types: ['git'], from: at(30), to: at(120), limit: 50 });
    expect(gits.map((e) => e.label)).toEqual(['commit 3', 'commit 6', 'commit 9']);
    const commits = await timeline().commits('c-page', 2);
    expect(commits).toEqual([
      { hash: '000001b', message: 'commit 27', at: at(270), insertions: 3, deletions: 1 },
      { hash: '0000018', message: 'commit 24', at: at(240), insertions: 3, deletions: 1 },
    ]);
    expect(await timeline().lastT('c-page')).toBe(290);
    expect(await timeline().lastT('none')).toBeNull();
  });

  it('a final report enriches once; completes at once when the session has ended; a redelivery changes nothing', async () => {
    await seedSession(getDb(), 's-final');
    const session = await facts('s-final');
    await store().store(session, { usage: [usage('u', 5)], timeline: [], final: null }, options('c-final'));
    await store().store(session, { usage: [], timeline: [], final: final('final:1', 'Did things') }, options('x', 900));
    expect(await chronicles().byId('c-final')).toMatchObject({
      status: 'draft',
      summary: 'Did things',
      keyChanges: ['Added README'],
      unfinishedWork: 'Write tests',
      durationSeconds: 900,
      partial: false,
      reportReceivedAt: at(900),
    });
    await chronicles().update('c-final', { summary: 'Edited by hand' }, at(950));
    await store().store(
      session,
      { usage: [], timeline: [], final: final('final:1', 'Did things') },
      { ...options('x', 1000), completeOnFinal: true },
    );
    expect(await chronicles().byId('c-final')).toMatchObject({ summary: 'Edited by hand', status: 'draft' });

    await seedSession(getDb(), 's-final-2', { state: 'stopped', stoppedAt: at(800) });
    await store().store(
      await facts('s-final-2'),
      { usage: [], timeline: [], final: final('final:2', 'Partial summary', true) },
      { ...options('c-final-2', 900), completeOnFinal: true },
    );
    expect(await chronicles().byId('c-final-2')).toMatchObject({
      status: 'complete',
      partial: true,
      completedAt: at(900),
      summary: 'Partial summary',
    });
  });

  it('completion: due drafts are those with a report or past the grace period; a partial one is not applied over a report', async () => {
    await seedSession(getDb(), 's-due-report', { state: 'stopped', stoppedAt: at(100) });
    await seedSession(getDb(), 's-due-late', { state: 'failed', stoppedAt: at(100) });
    await seedSession(getDb(), 's-due-fresh', { state: 'stopped', stoppedAt: at(1000) });
    await seedSession(getDb(), 's-due-running', { state: 'running' });
    for (const id of ['s-due-report', 's-due-late', 's-due-fresh', 's-due-running'])
      await store().store(await facts(id), { usage: [usage('u', 1)], timeline: [], final: null }, options(`c-${id}`));
    await getDb().execute(`UPDATE chronicles SET report_received_at = $1 WHERE id = 'c-s-due-report'`, [
      at(200).toISOString(),
    ]);

    const due = await chronicles().dueForCompletion(at(1100), 300_000, 50);
    const ids = due.map((d) => d.chronicle.id).filter((id) => id.startsWith('c-s-due'));
    expect(ids.sort()).toEqual(['c-s-due-late', 'c-s-due-report']);
    expect(due.find((d) => d.chronicle.id === 'c-s-due-late')).toMatchObject({
      sessionState: 'failed',
      sessionStoppedAt: at(100),
    });

    const blocked = await chronicles().complete('c-s-due-report', {
      at: at(1100),
      partial: true,
      summary: 'from timeline',
      onlyWithoutReport: true,
    });
    expect(blocked).toBeNull();
    const done = await chronicles().complete('c-s-due-report', {
      at: at(1100),
      partial: false,
      onlyWithoutReport: false,
    });
    expect(done).toMatchObject({ status: 'complete', completedAt: at(1100) });
    expect(
      await chronicles().complete('c-s-due-report', { at: at(1200), partial: false, onlyWithoutReport: false }),
    ).toBeNull();

    // A session that runs again reopens its completed chronicle when new events arrive.
    await getDb().execute(`UPDATE sessions SET state = 'running' WHERE id = 's-due-report'`);
    await store().store(
      await facts('s-due-report'),
      { usage: [usage('u-again', 1200)], timeline: [], final: null },
      options('x', 1200),
    );
    expect(await chronicles().byId('c-s-due-report')).toMatchObject({
      status: 'draft',
      completedAt: null,
      reportReceivedAt: null,
    });
  });

  it('chain: ancestors oldest first, the chronicle, then descendants; ensureForSession links the parent', async () => {
    await seedSession(getDb(), 's-ch-a');
    const a = await chronicles().ensureForSession(await facts('s-ch-a'), 'ch-a', at(1));
    expect(a).toMatchObject({ id: 'ch-a', parentChronicleId: null, status: 'draft' });
    await seedSession(getDb(), 's-ch-b', { parent: 'ch-a' });
    await chronicles().ensureForSession(await facts('s-ch-b'), 'ch-b', at(2));
    await seedSession(getDb(), 's-ch-c', { parent: 'ch-b' });
    const c = await chronicles().ensureForSession(await facts('s-ch-c'), 'ch-c', at(3));
    expect(c.parentChronicleId).toBe('ch-b');
    // Ensured twice: the same chronicle.
    expect((await chronicles().ensureForSession(await facts('s-ch-c'), 'ch-c2', at(4))).id).toBe('ch-c');
    const order = async (id: string) => (await chronicles().chain(id, 100)).map((x) => x.id);
    expect(await order('ch-a')).toEqual(['ch-a', 'ch-b', 'ch-c']);
    expect(await order('ch-b')).toEqual(['ch-a', 'ch-b', 'ch-c']);
    expect(await order('ch-c')).toEqual(['ch-a', 'ch-b', 'ch-c']);
    expect(await order('missing')).toEqual([]);
    // Deleting the middle one unlinks its child.
    expect(await chronicles().delete('ch-b')).toBe(true);
    expect(await order('ch-c')).toEqual(['ch-c']);
    expect(await chronicles().delete('ch-b')).toBe(false);
  });

  it('list: filters by repo or project, model, tags and status; keyset pages newest first; owner scope', async () => {
    for (let i = 0; i < 5; i++) {
      await seedSession(getDb(), `s-list-${i}`, { owner: i < 4 ? 'u-lister' : 'u-other' });
      await chronicles().ensureForSession(await facts(`s-list-${i}`), `c-list-${i}`, at(100 + i));
    }
    await chronicles().update('c-list-1', { tags: ['auth', 'bug'] }, at(100 + 1));
    await chronicles().update('c-list-2', { tags: ['auth'] }, at(100 + 2));
    const ids = async (query: Parameters<ReturnType<typeof chronicles>['list']>[0]) =>
      (await chronicles().list(query)).map((c) => c.id);
    const base = { tenantId: 't-1', ownerId: 'u-lister', limit: 10 };
    expect(await ids(base)).toEqual(['c-list-3', 'c-list-2', 'c-list-1', 'c-list-0']);
    expect(await ids({ ...base, tags: ['auth'] })).toEqual(['c-list-2', 'c-list-1']);
    expect(await ids({ ...base, tags: ['auth', 'bug'] })).toEqual(['c-list-1']);
    expect(await ids({ ...base, repo: 'api' })).toHaveLength(4);
    expect(await ids({ ...base, repo: 'https://github.com/acme/api.git', model: 'claude-sonnet' })).toHaveLength(4);
    expect(await ids({ ...base, repo: 'other' })).toEqual([]);
    expect(await ids({ ...base, status: 'complete' })).toEqual([]);
    const page = await chronicles().list({ ...base, limit: 2 });
    expect(page.map((c) => c.id)).toEqual(['c-list-3', 'c-list-2', 'c-list-1']);
    const next = await chronicles().list({ ...base, limit: 2, after: { createdAt: at(102), id: 'c-list-2' } });
    expect(next.map((c) => c.id)).toEqual(['c-list-1', 'c-list-0']);
  });

  it('retention removes chronicles untouched since the cut-off with their timelines, and orphaned old usage', async () => {
    await seedSession(getDb(), 's-old');
    await seedSession(getDb(), 's-new');
    await store().store(
      await facts('s-old'),
      { usage: [usage('u', 1)], timeline: [file('f', 1, 'a.ts', 'created', 1, 0)], final: null },
      options('c-old', 1),
    );
    await store().store(
      await facts('s-new'),
      { usage: [usage('u', 1)], timeline: [file('f', 1, 'a.ts', 'created', 1, 0)], final: null },
      options('c-new', 5000),
    );
    const counts = await chronicles().purge(at(1000), 1);
    expect(counts.chronicles).toBeGreaterThanOrEqual(1);
    expect(await chronicles().byId('c-old')).toBeNull();
    expect(await chronicles().byId('c-new')).not.toBeNull();
    const left = await getDb().execute(
      `SELECT (SELECT count(*) FROM timeline_events WHERE chronicle_id = 'c-old')::int AS events,
              (SELECT count(*) FROM chronicle_files WHERE chronicle_id = 'c-old')::int AS files,
              (SELECT count(*) FROM token_usage WHERE session_id = 's-old')::int AS old_usage,
              (SELECT count(*) FROM token_usage WHERE session_id = 's-new')::int AS kept_usage,
              (SELECT count(*) FROM token_usage_minutes WHERE session_id = 's-old')::int AS old_minutes,
              (SELECT count(*) FROM token_usage_minutes WHERE session_id = 's-new')::int AS kept_minutes`,
    );
    expect(left[0]).toEqual({ events: 0, files: 0, old_usage: 0, kept_usage: 1, old_minutes: 0, kept_minutes: 1 });
    expect(await chronicles().deleteForSession('s-new')).toBe(1);
    expect(await chronicles().deleteForSession('s-new')).toBe(0);
  });
});
