import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { createReconciler } from './reconciler';
import { reportSessionActivity } from './report-session-activity';

const alice = aPrincipal().build();
const MINUTE = 60_000;

async function runningSession(
  fields: Parameters<ReturnType<typeof aSession>['with']>[0] = {},
  maxLifetimeMs: number | null = null,
) {
  const world = aSessionWorld();
  const t0 = world.clock.now();
  await world.sessions.insert(
    aSession()
      .running()
      .with({ idleTimeoutMinutes: 30, runningSince: t0, lastActivityAt: t0, ...fields })
      .build(),
  );
  const reconciler = createReconciler(world.deps, { owner: 'api-1', maxLifetimeMs });
  return { ...world, reconciler };
}

describe('reconciler: idle auto-stop and maximum lifetime', () => {
  it('stops a session idle for its timeout, keeping the reason on the stopped session', async () => {
    const t = await runningSession();
    t.clock.advance(29 * MINUTE);
    expect((await t.reconciler.runOnce()).expired).toBe(0);
    t.clock.advance(MINUTE);
    expect((await t.reconciler.runOnce()).expired).toBe(1);
    const stored = await t.sessions.byId('sess-1');
    expect(stored?.state).toBe('stopped');
    expect(stored?.stateReason).toBe(
      'Stopped automatically after 30 minutes without activity; start it again to continue (the workspace is kept)',
    );
    expect(t.podManager.stopCalls).toHaveLength(1);
  });

  it('counts broker-reported activity, with no browser attached', async () => {
    const t = await runningSession();
    const report = reportSessionActivity(t.deps);
    t.clock.advance(20 * MINUTE);
    await report(alice, { id: 'sess-1', state: 'active' });
    t.clock.advance(5 * MINUTE);
    await report(alice, { id: 'sess-1', state: 'idle' });
    t.clock.advance(29 * MINUTE);
    await t.reconciler.runOnce();
    expect((await t.sessions.byId('sess-1'))?.state).toBe('running');
    t.clock.advance(MINUTE);
    await t.reconciler.runOnce();
    expect((await t.sessions.byId('sess-1'))?.state).toBe('stopped');
  });

  it('never stops an agent that is working or running a tool, however long', async () => {
    for (const activityState of ['active', 'tool_executing'] as const) {
      const t = await runningSession({ activityState });
      t.clock.advance(6 * 60 * MINUTE);
      await t.reconciler.runOnce();
      expect((await t.sessions.byId('sess-1'))?.state).toBe('running');
    }
  });

  it('leaves sessions without an idle timeout running', async () => {
    const t = await runningSession({ idleTimeoutMinutes: null });
    t.clock.advance(24 * 60 * MINUTE);
    await t.reconciler.runOnce();
    expect((await t.sessions.byId('sess-1'))?.state).toBe('running');
  });

  it('stops any session at the maximum lifetime, busy or not', async () => {
    const t = await runningSession({ activityState: 'tool_executing', idleTimeoutMinutes: null }, 8 * 60 * MINUTE);
    t.clock.advance(8 * 60 * MINUTE - 1);
    await t.reconciler.runOnce();
    expect((await t.sessions.byId('sess-1'))?.state).toBe('running');
    t.clock.advance(1);
    await t.reconciler.runOnce();
    expect(await t.sessions.byId('sess-1')).toMatchObject({
      state: 'stopped',
      stateReason:
        'Stopped automatically after the maximum session lifetime of 8 hours; start it again to continue (the workspace is kept)',
    });
  });

  it('a pass asked for by new work looks for expired sessions only once a poll interval has passed', async () => {
    const world = aSessionWorld();
    const looks: number[] = [];
    const passes: (() => void)[] = [];
    const sessions = Object.create(world.sessions) as typeof world.sessions;
    sessions.findExpired = async (query) => {
      looks.push(query.now.getTime());
      return world.sessions.findExpired(query);
    };
    sessions.claimWork = async (...args) => {
      const claimed = await world.sessions.claimWork(...args);
      passes.shift()?.();
      return claimed;
    };
    const reconciler = createReconciler({ ...world.deps, sessions }, { owner: 'api-1', pollIntervalMs: 60_000 });
    const nextPass = () => new Promise<void>((resolve) => passes.push(resolve));
    const t0 = world.clock.now().getTime();
    try {
      let pass = nextPass();
      reconciler.start(); // the first pass is not a kick: it looks
      await pass;
      pass = nextPass();
      reconciler.kick();
      await pass;
      expect(looks).toEqual([t0]);
      world.clock.advance(60_000);
      pass = nextPass();
      reconciler.kick();
      await pass;
      expect(looks).toEqual([t0, t0 + 60_000]);
    } finally {
      await reconciler.stop();
    }
  });
});
