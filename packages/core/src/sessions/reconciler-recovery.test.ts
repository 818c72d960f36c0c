import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSessionWorld } from '../testing/session-world';
import { createSession } from './create-session';
import { createReconciler } from './reconciler';

const alice = aPrincipal().build();
const blank = { name: 'work', model: 'claude-sonnet', source: { type: 'blank' as const } };
const LEASE = 30_000;

function twoReplicas(podMode: 'ready' | 'manual' = 'ready') {
  const world = aSessionWorld({ podMode });
  const a = createReconciler(world.deps, { owner: 'api-a', leaseMs: LEASE });
  const b = createReconciler(world.deps, { owner: 'api-b', leaseMs: LEASE });
  return { ...world, a, b, create: (name = 'work') => createSession(world.deps)(alice, { ...blank, name }) };
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never became true');
}

describe('reconciler: crash and resume', () => {
  it('adopts a pod submitted just before the replica died, without starting it again', async () => {
    const t = twoReplicas();
    const session = await t.create();
    const dying = t.podManager.holdNextStart(true); // the pod exists; replica A dies before recording it
    const passA = t.a.runOnce();
    await until(() => t.podManager.startCalls.length === 1);

    await t.b.runOnce(); // A's lease still holds: B leaves the session alone
    expect((await t.sessions.byId(session.id))?.state).toBe('starting');

    t.clock.advance(LEASE);
    await t.b.runOnce();
    const stored = await t.sessions.byId(session.id);
    expect(stored?.state).toBe('running');
    expect(t.podManager.startCalls.map((a) => a.id)).toEqual([`${session.id}-1`]);
    expect(t.events.of(session.id).find((e) => e.type === 'pod_submitted')?.data).toMatchObject({ adopted: true });

    dying.abandon(); // A's late failure must not overwrite what B did
    await passA;
    expect((await t.sessions.byId(session.id))?.state).toBe('running');
  });

  it('starts a new attempt when the recorded one never reached the runtime', async () => {
    const t = twoReplicas();
    const session = await t.create();
    const dying = t.podManager.holdNextStart(false); // A dies before the runtime created anything
    const passA = t.a.runOnce();
    await until(() => t.podManager.startCalls.length === 1);
    expect((await t.sessions.byId(session.id))?.runtime.attemptId).toBe(`${session.id}-1`);

    t.clock.advance(LEASE);
    await t.b.runOnce();
    expect((await t.sessions.byId(session.id))?.state).toBe('running');
    const attempts = t.podManager.startCalls.map((a) => a.id);
    expect(attempts).toEqual([`${session.id}-1`, `${session.id}-2`]);
    expect(new Set(attempts).size).toBe(attempts.length);
    dying.abandon();
    await passA;
  });

  it('resumes polling a provisioning session after its replica died', async () => {
    const t = twoReplicas('manual');
    const session = await t.create();
    await t.a.runOnce(); // A submits, watches and keeps the lease ... then dies
    expect((await t.sessions.byId(session.id))?.leaseOwner).toBe('api-a');
    t.podManager.markReady(session.id);
    await t.b.runOnce();
    expect((await t.sessions.byId(session.id))?.state).toBe('provisioning');
    t.clock.advance(LEASE);
    await t.b.runOnce();
    expect((await t.sessions.byId(session.id))?.state).toBe('running');
    expect(t.podManager.startsOf(session.id)).toHaveLength(1);
  });

  it('retries a session whose processing threw, on a later pass', async () => {
    const t = twoReplicas();
    const session = await t.create();
    t.sessions.failNextUpdate = new Error('connection reset');
    const report = await t.a.runOnce();
    expect(report.errors).toBe(1);
    expect((await t.sessions.byId(session.id))?.leaseOwner).toBeNull();
    await t.a.runOnce();
    expect((await t.sessions.byId(session.id))?.state).toBe('running');
  });

  it('shares 40 sessions between two replicas without starting any twice', async () => {
    const t = twoReplicas();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await t.create(`s-${i}`)).id);
    while ((await Promise.all(ids.map((id) => t.sessions.byId(id)))).some((s) => s?.state !== 'running')) {
      await Promise.all([t.a.runOnce(), t.b.runOnce()]);
    }
    const attempts = t.podManager.startCalls.map((a) => a.id);
    expect(attempts).toHaveLength(40);
    expect(new Set(attempts).size).toBe(40);
  });

  it('hands what it watches to other replicas at once on a graceful stop', async () => {
    const t = twoReplicas('manual');
    const session = await t.create();
    t.a.start();
    await until(() => t.podManager.watcherCount === 1);
    await t.a.stop();
    expect(t.podManager.watcherCount).toBe(0);
    expect((await t.sessions.byId(session.id))?.leaseOwner).toBeNull();
    t.podManager.markReady(session.id);
    await t.b.runOnce();
    expect((await t.sessions.byId(session.id))?.state).toBe('running');
  });
});
