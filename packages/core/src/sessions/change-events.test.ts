import type { SessionEvent } from '@volundr/contracts/session-events';
import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { archiveSession } from './archive-session';
import { createSession } from './create-session';
import { deleteSession } from './delete-session';
import { createReconciler } from './reconciler';
import { reportSessionActivity } from './report-session-activity';
import { restoreSession } from './restore-session';
import type { Contributor } from './session-context';
import { startSession } from './start-session';
import { stopSession } from './stop-session';
import { updateSession } from './update-session';

// Every use case hands its events to the write that makes the change, so the two commit
// together: when the event write fails, the change does not happen either (and when it
// succeeds, both are there). Appending after the write, as before, fails these tests.

const alice = aPrincipal().build();
const outage = () => new Error('event log unavailable');
const types = (events: SessionEvent[]) =>
  events.map((e) => (e.type === 'state_changed' ? `${e.data.from}→${e.data.to}` : e.type));

type World = ReturnType<typeof aSessionWorld>;
const cases: [string, ReturnType<typeof aSession>, (w: World, id: string) => Promise<unknown>, string[]][] = [
  ['start', aSession().stopped(), (w, id) => startSession(w.deps)(alice, { id }), ['stopped→starting']],
  ['stop', aSession().running(), (w, id) => stopSession(w.deps)(alice, { id }), ['running→stopping']],
  ['archive', aSession().stopped(), (w, id) => archiveSession(w.deps)(alice, { id }), ['stopped→archived']],
  ['archive (active)', aSession().running(), (w, id) => archiveSession(w.deps)(alice, { id }), ['running→stopping']],
  ['restore', aSession().inState('archived'), (w, id) => restoreSession(w.deps)(alice, { id }), ['archived→stopped']],
  [
    'update',
    aSession().stopped(),
    (w, id) => updateSession(w.deps)(alice, { id, name: 'renamed' }),
    ['session_updated'],
  ],
  [
    'report activity',
    aSession().running(),
    (w, id) => reportSessionActivity(w.deps)(alice, { id, state: 'active', metadata: {} }),
    ['activity_changed'],
  ],
  ['delete', aSession().stopped(), (w, id) => deleteSession(w.deps)(alice, { id, cleanup: [] }), ['session_deleted']],
];

describe('a change and its events are written together', () => {
  it.each(cases)('%s: both or neither', async (_name, builder, act, expected) => {
    const w = aSessionWorld();
    const session = builder.build();
    await w.sessions.insert(session);
    const before = await w.sessions.byId(session.id);

    w.events.failWrite(outage());
    await expect(act(w, session.id)).rejects.toThrow('event log unavailable');
    expect(await w.sessions.byId(session.id)).toEqual(before);
    expect(w.events.all).toEqual([]);

    await act(w, session.id);
    expect(await w.sessions.byId(session.id)).not.toEqual(before);
    expect(types(w.events.of(session.id))).toEqual(expected);
  });

  it('create (and start): the row and its two events, or nothing', async () => {
    const w = aSessionWorld();
    const input = { name: 'work', model: 'claude-sonnet', source: { type: 'blank' as const } };
    w.events.failWrite(outage());
    await expect(createSession(w.deps)(alice, input)).rejects.toThrow('event log unavailable');
    expect(w.sessions.rows.size).toBe(0);
    expect(w.events.all).toEqual([]);

    const created = await createSession(w.deps)(alice, input);
    expect(created.state).toBe('starting');
    expect(types(w.events.of(created.id))).toEqual(['session_created', 'created→starting']);
  });

  it('reconciler: a failed write leaves the session as it was; the next pass writes each event once', async () => {
    const w = aSessionWorld();
    const reconciler = createReconciler(w.deps, { owner: 'api-1' });
    const session = await createSession(w.deps)(alice, {
      name: 'work',
      model: 'claude-sonnet',
      source: { type: 'blank' },
    });
    const created = types(w.events.of(session.id));

    // The spec and the contributors' ten events fail together: nothing of the pipeline is kept.
    w.events.failWrite(outage());
    expect(await reconciler.runOnce()).toMatchObject({ errors: 1 });
    const stored = await w.sessions.byId(session.id);
    expect(stored).toMatchObject({ state: 'starting', spec: null, runtime: { attemptId: null } });
    expect(types(w.events.of(session.id))).toEqual(created);

    // The pod is submitted but recording its handle fails: the next pass adopts the pod.
    w.events.failWrite(outage(), 1);
    expect(await reconciler.runOnce()).toMatchObject({ errors: 1 });
    expect(await w.sessions.byId(session.id)).toMatchObject({ state: 'starting', runtime: { handle: null } });
    expect(w.events.of(session.id).filter((e) => e.type === 'pod_submitted')).toEqual([]);

    await reconciler.runOnce();
    expect(types(w.events.of(session.id))).toEqual([
      ...created,
      ...Array(10).fill('contributor_applied'),
      'pod_submitted',
      'starting→provisioning',
      'container_ready',
      'container_ready',
      'container_ready',
      'provisioning→running',
    ]);
    expect(w.events.of(session.id).find((e) => e.type === 'pod_submitted')?.data).toMatchObject({ adopted: true });
    expect(w.podManager.startsOf(session.id)).toHaveLength(1);
  });

  it('reconciler: cleanup failures are written with the move to stopped', async () => {
    const w = aSessionWorld();
    const busy: Contributor = {
      name: 'Busy',
      contribute: async () => ({ values: {}, podSpec: {} }),
      cleanup: async () => {
        throw new Error('volume busy');
      },
    };
    const deps = { ...w.deps, contributors: [...w.deps.contributors, busy] };
    const reconciler = createReconciler(deps, { owner: 'api-1' });
    const session = await createSession(deps)(alice, {
      name: 'work',
      model: 'claude-sonnet',
      source: { type: 'blank' },
    });
    await reconciler.runOnce();
    await stopSession(deps)(alice, { id: session.id });
    w.events.failWrite(outage());
    await reconciler.runOnce();
    expect((await w.sessions.byId(session.id))?.state).toBe('stopping');
    expect(w.events.of(session.id).filter((e) => e.type === 'cleanup_failed')).toEqual([]);

    await reconciler.runOnce();
    expect(types(w.events.of(session.id)).slice(-2)).toEqual(['cleanup_failed', 'stopping→stopped']);
  });
});
