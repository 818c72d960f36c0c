import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { updateSession } from './update-session';

const alice = aPrincipal().build();
const gitSession = () =>
  aSession()
    .stopped()
    .with({ source: { type: 'git', repo: 'https://git.example.test/org/api', branch: 'main' } })
    .build();

describe('updateSession', () => {
  it('renames, changes model and branch for the next start', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(gitSession());
    const updated = await updateSession(world.deps)(alice, {
      id: 'sess-1',
      name: 'renamed',
      model: 'claude-opus',
      branch: 'dev',
    });
    expect(updated).toMatchObject({ name: 'renamed', model: 'claude-opus', source: { branch: 'dev' } });
    expect((await world.sessions.byId('sess-1'))?.launch.model).toBe('claude-opus');
    expect(world.events.of('sess-1')).toMatchObject([
      { type: 'session_updated', data: { fields: ['name', 'model', 'branch'] } },
    ]);
  });

  it('changes nothing (and says nothing) when the values are the same', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(gitSession());
    await updateSession(world.deps)(alice, { id: 'sess-1', name: 'my-session', branch: 'main' });
    expect((await world.sessions.byId('sess-1'))?.version).toBe(1);
    expect(world.events.all).toHaveLength(0);
  });

  it.each([
    [{ model: 'gpt-codex' }, 'BAD_REQUEST'],
    [{ model: 'unknown-model' }, 'MODEL_NOT_FOUND'],
    [{}, 'VALIDATION_FAILED'],
    [{ name: 'Bad Name' }, 'VALIDATION_FAILED'],
  ])('refuses %o with %s', async (change, code) => {
    const world = aSessionWorld();
    await world.sessions.insert(gitSession());
    await expect(updateSession(world.deps)(alice, { id: 'sess-1', ...change })).rejects.toMatchObject({ code });
  });

  it('refuses a branch for a blank session and any change to an archived one', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().build());
    await world.sessions.insert(aSession().withId('old').archived().build());
    await expect(updateSession(world.deps)(alice, { id: 'sess-1', branch: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(updateSession(world.deps)(alice, { id: 'old', name: 'x' })).rejects.toMatchObject({
      code: 'SESSION_INVALID_TRANSITION',
    });
  });
});
