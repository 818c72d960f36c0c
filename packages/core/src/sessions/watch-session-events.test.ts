import type { SessionEvent } from '@volundr/contracts/session-events';
import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { stopSession } from './stop-session';
import { watchSessionEvents } from './watch-session-events';

const alice = aPrincipal().build();
const bob = aPrincipal().withId('u-bob').build();

async function take(feed: AsyncIterable<SessionEvent>, n: number) {
  const out: SessionEvent[] = [];
  for await (const event of feed) {
    out.push(event);
    if (out.length === n) break;
  }
  return out;
}

describe('watchSessionEvents', () => {
  it("streams the principal's events (stored, then live) and resumes after lastEventId", async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().withId('a').ownedBy(alice).running().build());
    await world.sessions.insert(aSession().withId('b').ownedBy(bob).running().build());
    const stop = stopSession(world.deps);
    await stop(bob, { id: 'b' });
    const feed = await watchSessionEvents(world.deps)(alice, {});
    const pending = take(feed, 1);
    await stop(alice, { id: 'a' });
    const [event] = await pending;
    expect(event).toMatchObject({ sessionId: 'a', type: 'state_changed', data: { from: 'running', to: 'stopping' } });

    const controller = new AbortController();
    const resumed = await watchSessionEvents(world.deps)(bob, { lastEventId: '0' }, controller.signal);
    expect(await take(resumed, 1)).toMatchObject([{ id: '1', sessionId: 'b' }]);
  });

  it('needs read access to watch one session', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().withId('a').ownedBy(alice).build());
    await expect(watchSessionEvents(world.deps)(bob, { sessionId: 'a' })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    await expect(watchSessionEvents(world.deps)(alice, { lastEventId: 'abc' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('ends when the signal aborts', async () => {
    const world = aSessionWorld();
    const controller = new AbortController();
    const feed = await watchSessionEvents(world.deps)(alice, {}, controller.signal);
    const done = take(feed, 5);
    controller.abort();
    await expect(done).resolves.toEqual([]);
  });
});
