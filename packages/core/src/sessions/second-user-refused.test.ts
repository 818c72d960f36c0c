import type { Principal } from '@volundr/contracts/principal';
import type { SessionState } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { createPreset } from '../presets/create-preset';
import { deletePreset } from '../presets/delete-preset';
import { listPresets } from '../presets/list-presets';
import { presetById } from '../presets/preset-by-id';
import { updatePreset } from '../presets/update-preset';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { archiveSession } from './archive-session';
import { archiveStoppedSessions } from './archive-stopped-sessions';
import { deleteSession } from './delete-session';
import { listSessions } from './list-sessions';
import { reportSessionActivity } from './report-session-activity';
import { restoreSession } from './restore-session';
import { sessionById } from './session-by-id';
import { startSession } from './start-session';
import { stopSession } from './stop-session';
import { updateSession } from './update-session';
import { watchSessionEvents } from './watch-session-events';

const alice = aPrincipal().build();
const bob = aPrincipal().withId('u-bob').build();
const otherTenantAdmin = aPrincipal().withId('u-eve').inTenant('t-2').admin().build();
const aliceAsViewer = aPrincipal().withRoles('volundr:viewer').build();

type World = ReturnType<typeof aSessionWorld>;
type Call = (world: World, who: Principal) => Promise<unknown>;

/** Every operation on one session, with the state Alice's session must be in for it to apply. */
const sessionOperations: [string, SessionState, Call][] = [
  ['byId', 'running', (w, p) => sessionById(w.deps)(p, { id: 'sess-1' })],
  ['start', 'stopped', (w, p) => startSession(w.deps)(p, { id: 'sess-1' })],
  ['stop', 'running', (w, p) => stopSession(w.deps)(p, { id: 'sess-1' })],
  ['archive', 'stopped', (w, p) => archiveSession(w.deps)(p, { id: 'sess-1' })],
  ['restore', 'archived', (w, p) => restoreSession(w.deps)(p, { id: 'sess-1' })],
  ['update', 'stopped', (w, p) => updateSession(w.deps)(p, { id: 'sess-1', name: 'taken-over' })],
  ['delete', 'stopped', (w, p) => deleteSession(w.deps)(p, { id: 'sess-1', cleanup: ['workspace_storage'] })],
  ['reportActivity', 'running', (w, p) => reportSessionActivity(w.deps)(p, { id: 'sess-1', state: 'active' })],
  ['watch one session', 'running', (w, p) => watchSessionEvents(w.deps)(p, { sessionId: 'sess-1' })],
];

async function aliceSessionIn(state: SessionState) {
  const world = aSessionWorld();
  await world.sessions.insert(aSession().ownedBy(alice).inState(state).build());
  return world;
}

describe('a second user is refused by every session operation', () => {
  for (const [name, state, call] of sessionOperations) {
    for (const [who, intruder] of [
      ['another developer', bob],
      ['an admin of another tenant', otherTenantAdmin],
    ] as const) {
      it(`${name}: ${who} gets SESSION_NOT_FOUND and changes nothing`, async () => {
        const world = await aliceSessionIn(state);
        const before = await world.sessions.byId('sess-1');
        await expect(call(world, intruder)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
        expect(await world.sessions.byId('sess-1')).toEqual(before);
        expect(world.events.all).toEqual([]);
        expect(world.podManager.deleteCalls).toEqual([]);
      });
    }
    it(`${name}: the owner succeeds`, async () => {
      const world = await aliceSessionIn(state);
      await call(world, alice); // throws if refused
    });
  }

  for (const [name, state, call] of sessionOperations.filter(([n]) => n !== 'byId' && n !== 'watch one session')) {
    it(`${name}: a viewer who may read is FORBIDDEN, not told it does not exist`, async () => {
      const world = await aliceSessionIn(state);
      await expect(call(world, aliceAsViewer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  }

  it('list and archive-stopped never include or touch another user’s sessions', async () => {
    const world = await aliceSessionIn('stopped');
    expect((await listSessions(world.deps)(bob)).items).toEqual([]);
    expect((await listSessions(world.deps)(bob, { ownerId: 'u-alice' })).items).toEqual([]);
    expect((await listSessions(world.deps)(otherTenantAdmin)).items).toEqual([]);
    expect(await archiveStoppedSessions(world.deps)(bob)).toEqual({ archived: [], skipped: [] });
    expect((await world.sessions.byId('sess-1'))?.state).toBe('stopped');
  });

  it('the all-sessions feed carries no event of another user', async () => {
    const world = await aliceSessionIn('running');
    const controller = new AbortController();
    const feed = await watchSessionEvents(world.deps)(bob, {}, controller.signal);
    await stopSession(world.deps)(alice, { id: 'sess-1' });
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const e of feed) seen.push(e);
    })();
    controller.abort();
    await reading;
    expect(seen).toEqual([]);
  });
});

describe('a second user is refused by every preset operation', () => {
  const presetOperations: [string, Call][] = [
    ['byId', (w, p) => presetById(w.deps)(p, { id: 's-1' })],
    ['update', (w, p) => updatePreset(w.deps)(p, { id: 's-1', name: 'mine-now' })],
    ['delete', (w, p) => deletePreset(w.deps)(p, { id: 's-1' })],
  ];
  for (const [name, call] of presetOperations) {
    it(`${name}: PRESET_NOT_FOUND for another user, success for the owner`, async () => {
      const world = aSessionWorld();
      await createPreset(world.deps)(alice, { name: 'alices', cli: 'claude' });
      await expect(call(world, bob)).rejects.toMatchObject({ code: 'PRESET_NOT_FOUND' });
      await expect(call(world, otherTenantAdmin)).rejects.toMatchObject({ code: 'PRESET_NOT_FOUND' });
      await expect(call(world, alice)).resolves.toBeDefined();
    });
  }

  it('list shows only the principal’s own presets', async () => {
    const world = aSessionWorld();
    await createPreset(world.deps)(alice, { name: 'alices', cli: 'claude' });
    expect(await listPresets(world.deps)(bob)).toEqual([]);
  });
});
