import type { Principal } from '@volundr/contracts/principal';
import type { Report } from '@volundr/contracts/reports';
import type { SessionState } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { withSessionScope } from '../authz/session-scope';
import { DomainError } from '../errors';
import { silentLogger } from '../shared/ports/logger';
import { fixedClock } from '../testing/fixed-clock';
import { ownerOnlyAuthorization } from '../testing/owner-only-authorization';
import { aPrincipal } from '../testing/principal-builder';
import { sequentialIds } from '../testing/sequential-ids';
import { ingestReports } from './ingest-reports';
import type { ReportStore, ReportsToStore, StoreOptions } from './ports/report-store';
import type { SessionFacts } from './ports/session-lookup';

const at = '2026-03-01T10:00:00.000Z';

const session = (state: SessionState = 'running'): SessionFacts => ({
  id: 's-1',
  ownerId: 'u-alice',
  tenantId: 't-1',
  name: 'work',
  model: 'claude-sonnet',
  source: { type: 'blank' },
  templateName: null,
  profileName: null,
  state,
  parentChronicleId: null,
  runningSince: null,
  stoppedAt: null,
});

const usage: Report = {
  kind: 'usage',
  key: 'usage:t1',
  occurredAt: at,
  turnId: 't1',
  model: 'claude-sonnet',
  inputTokens: 1,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};
const timeline: Report = {
  kind: 'timeline',
  key: 'session:start',
  occurredAt: at,
  type: 'session',
  t: 0,
  label: 'start',
};
const activity = (key: string, metadata: Record<string, unknown> = {}): Report => ({
  kind: 'activity',
  key,
  occurredAt: at,
  state: 'active',
  metadata,
});
const final = (key: string, occurredAt = at): Report => ({
  kind: 'final',
  key,
  occurredAt,
  summary: key,
  keyChanges: [],
  unfinishedWork: '',
  durationSeconds: 1,
});

function world(state: SessionState = 'running') {
  const stored: { reports: ReportsToStore; options: StoreOptions }[] = [];
  const activities: unknown[] = [];
  const authorization = ownerOnlyAuthorization();
  let failActivity: Error | null = null;
  const reports: ReportStore = {
    async store(_session, batch, options) {
      stored.push({ reports: batch, options });
      return { chronicleId: 'c-1', newUsage: batch.usage.length, newTimeline: batch.timeline.length };
    },
  };
  const ingest = ingestReports({
    sessions: { byId: async (id) => (id === 's-1' ? session(state) : null) },
    reports,
    authorization: withSessionScope(authorization),
    clock: fixedClock(),
    ids: sequentialIds('c'),
    logger: silentLogger,
    reportActivity: async (_principal, input) => {
      if (failActivity) throw failActivity;
      activities.push(input);
    },
  });
  return {
    stored,
    activities,
    asked: authorization.asked,
    ingest,
    failActivityWith: (error: Error | null) => {
      failActivity = error;
    },
  };
}

const alice = aPrincipal().build();
const submit = (w: ReturnType<typeof world>, principal: Principal, reports: Report[], sessionId = 's-1') =>
  w.ingest(principal, { sessionId, batch: { reports } });

describe('ingesting a report batch', () => {
  it('asks for the report action of each kind in the batch, then stores and accepts every key', async () => {
    const w = world();
    const result = await submit(w, alice, [
      usage,
      timeline,
      activity('activity:1', { turnId: 't1' }),
      final('final:1'),
    ]);
    expect(result.accepted.sort()).toEqual(['activity:1', 'final:1', 'session:start', 'usage:t1']);
    expect(w.asked.map((a) => a.action).sort()).toEqual([
      'report_activity',
      'report_chronicle',
      'report_timeline',
      'report_usage',
    ]);
    expect(w.stored).toHaveLength(1);
    expect(w.stored[0]?.options).toMatchObject({ completeOnFinal: false, reopenOnNewEvents: true });
    expect(w.activities).toEqual([{ id: 's-1', state: 'active', metadata: { turnId: 't1' } }]);
  });

  it('a key twice in one batch is one report; of two finals the later one is stored, both accepted', async () => {
    const w = world();
    const result = await submit(w, alice, [
      usage,
      usage,
      final('final:b', '2026-03-01T10:05:00.000Z'),
      final('final:a'),
    ]);
    expect(w.stored[0]?.reports.usage).toHaveLength(1);
    expect(w.stored[0]?.reports.final?.key).toBe('final:b');
    expect(result.accepted.sort()).toEqual(['final:a', 'final:b', 'usage:t1']);
  });

  it('completes at once on a final report when the session has already ended', async () => {
    const w = world('stopped');
    await submit(w, alice, [final('final:1')]);
    expect(w.stored[0]?.options).toMatchObject({ completeOnFinal: true, reopenOnNewEvents: false });
  });

  it('activity only: nothing is stored; activity that could not be applied is left out for the broker to resend', async () => {
    const w = world();
    w.failActivityWith(new DomainError('CONCURRENT_MODIFICATION', 'busy'));
    expect(await submit(w, alice, [activity('activity:1')])).toEqual({ accepted: [] });
    expect(w.stored).toHaveLength(0);
    w.failActivityWith(new DomainError('VALIDATION_FAILED', 'metadata key too long'));
    expect(await submit(w, alice, [activity('activity:2')])).toEqual({ accepted: ['activity:2'] });
  });

  it('another user, another tenant, or a token scoped to another session: SESSION_NOT_FOUND; a viewer owner: FORBIDDEN', async () => {
    const w = world();
    const refusals: Array<[Principal, string]> = [
      [aPrincipal().withId('u-bob').build(), 'SESSION_NOT_FOUND'],
      [aPrincipal().inTenant('t-2').build(), 'SESSION_NOT_FOUND'],
      [{ ...alice, sessionScope: 's-other' }, 'SESSION_NOT_FOUND'],
      [aPrincipal().withRoles('volundr:viewer').build(), 'FORBIDDEN'],
    ];
    for (const [principal, code] of refusals) {
      await expect(submit(w, principal, [usage])).rejects.toMatchObject({ code });
    }
    await expect(submit(w, alice, [usage], 's-missing')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(w.stored).toHaveLength(0);
  });

  it("the session's own scoped token may report; an admin of the tenant may too", async () => {
    const w = world();
    await submit(w, { ...alice, sessionScope: 's-1' }, [usage]);
    await submit(w, aPrincipal().withId('u-admin').admin().build(), [timeline]);
    expect(w.stored).toHaveLength(2);
  });

  it('refuses a malformed batch with VALIDATION_FAILED naming the field', async () => {
    const w = world();
    await expect(
      w.ingest(alice, { sessionId: 's-1', batch: { reports: [{ ...usage, inputTokens: -1 } as Report] } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('inputTokens') });
    await expect(w.ingest(alice, { sessionId: 's-1', batch: { reports: [] } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
