import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { reportSessionActivity } from './report-session-activity';

const alice = aPrincipal().build();

describe('reportSessionActivity', () => {
  it('records every report as activity and emits an event only when the state changes', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().running().build());
    const report = reportSessionActivity(world.deps);
    await report(alice, { id: 'sess-1', state: 'tool_executing', metadata: { tool: 'Bash' } });
    world.clock.advance(60_000);
    await report(alice, { id: 'sess-1', state: 'tool_executing' });
    const stored = await world.sessions.byId('sess-1');
    expect(stored).toMatchObject({ activityState: 'tool_executing', lastActivityAt: world.clock.now(), version: 1 });
    expect(world.events.of('sess-1')).toMatchObject([
      { type: 'activity_changed', data: { state: 'tool_executing', metadata: { tool: 'Bash' } } },
    ]);
  });

  it('emits an event when the number of chat connections changes in the same state', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().running().build());
    const report = reportSessionActivity(world.deps);
    await report(alice, { id: 'sess-1', state: 'idle', metadata: { connections: 1 } });
    await report(alice, { id: 'sess-1', state: 'idle', metadata: { connections: 1 } });
    await report(alice, { id: 'sess-1', state: 'idle', metadata: { connections: 0 } });
    expect(world.events.of('sess-1').map((e) => e.data)).toEqual([
      { state: 'idle', metadata: { connections: 1 } },
      { state: 'idle', metadata: { connections: 0 } },
    ]);
  });

  it('refuses an unknown activity state', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().running().build());
    await expect(
      reportSessionActivity(world.deps)(alice, { id: 'sess-1', state: 'sleeping' } as never),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
