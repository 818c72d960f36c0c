import { TRPCError } from '@trpc/server';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { readFilePodRecords } from '@volundr/testkit/file-pod-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPrincipal, type Caller, type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { toApiError } from '../../trpc/errors';

type Tracked = [string, SessionEvent, symbol];

/** Reads a subscription until an event matches, with a deadline; returns everything read. */
async function readUntil(
  iterator: AsyncIterator<unknown>,
  predicate: (e: SessionEvent) => boolean,
  timeoutMs = 15_000,
): Promise<SessionEvent[]> {
  const seen: SessionEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no matching event; saw ${seen.map((e) => e.type).join(', ')}`)),
          Math.max(1, deadline - Date.now()),
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error('the subscription ended');
    const [id, event] = next.value as Tracked;
    expect(id).toBe(event.id);
    seen.push(event);
    if (predicate(event)) return seen;
  }
}

const reached = (sessionId: string, state: string) => (e: SessionEvent) =>
  e.sessionId === sessionId && e.type === 'state_changed' && e.data.to === state;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) return `not a TRPCError: ${String(error)}`;
    return toApiError(error).code;
  }
  return 'resolved';
}

describe.each(['pglite', 'postgres'] as const)('sessions through createCaller on %s', (driver) => {
  let t: SessionTestApi;
  let alice: Caller;
  let bob: Caller;
  const feed = new AbortController();
  let events: AsyncIterator<unknown>;

  beforeAll(async () => {
    t = await startSessionTestApi({ driver });
    alice = await t.caller(aPrincipal('alice'));
    bob = await t.caller(aPrincipal('bob'));
    await t.setQuota('default', 50);
    // Subscribed before anything happens: every event of alice's sessions arrives here.
    const subscriber = await t.caller(aPrincipal('alice'), feed.signal);
    events = ((await subscriber.sessions.onState({})) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  });
  afterAll(async () => {
    feed.abort();
    await t?.stop();
  });

  it('serves the catalog from configuration', async () => {
    const models = await alice.models.list();
    expect(models.map((m) => m.id)).toContain('claude-sonnet-4-5');
    const profiles = await alice.profiles.list();
    expect(
      profiles
        .filter((p) => p.isDefault)
        .map((p) => p.cli)
        .sort(),
    ).toEqual(['claude', 'codex']);
    expect((await alice.profiles.byName({ name: 'claude' })).cli).toBe('claude');
    expect(await alice.templates.list()).toEqual([]);
    expect(await codeOf(alice.templates.byName({ name: 'nope' }))).toBe('TEMPLATE_NOT_FOUND');
    expect(await codeOf(alice.profiles.byName({ name: 'nope' }))).toBe('PROFILE_NOT_FOUND');
  });

  it('runs a session through its whole life, streaming every step', async () => {
    const preset = await alice.presets.create({
      name: 'terse',
      cli: 'claude',
      isDefault: true,
      defaults: { systemPrompt: 'Answer tersely.', env: { FROM_PRESET: '1' } },
    });
    expect(await alice.presets.list({ cli: 'claude' })).toEqual([preset]);

    const created = await alice.sessions.create({
      name: 'life',
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
    });
    expect(created).toMatchObject({ name: 'life', state: 'starting', cli: 'claude', presetId: preset.id });
    const toRunning = await readUntil(events, reached(created.id, 'running'));
    const mine = toRunning.filter((e) => e.sessionId === created.id);
    expect(mine.map((e) => e.type)).toEqual([
      'session_created',
      'state_changed',
      ...Array(10).fill('contributor_applied'),
      'pod_submitted',
      'state_changed',
      'container_ready',
      'container_ready',
      'container_ready',
      'state_changed',
    ]);
    const ids = mine.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));

    const running = await alice.sessions.byId({ id: created.id });
    expect(running).toMatchObject({ state: 'running', stateReason: null });
    expect(running.endpoints?.chat).toContain(created.id);
    // The preset was really applied, and stored with the launch for every later start.
    const stored = await t.api.services.sessionRuntime.sessionsRepository.byId(created.id);
    expect(stored?.launch).toMatchObject({ systemPrompt: 'Answer tersely.', presetId: preset.id });
    expect(stored?.launch.env).toMatchObject({ FROM_PRESET: '1' });

    expect(await codeOf(alice.sessions.start({ id: created.id }))).toBe('SESSION_INVALID_TRANSITION');
    expect(await codeOf(alice.sessions.restore({ id: created.id }))).toBe('SESSION_INVALID_TRANSITION');
    const renamed = await alice.sessions.update({ id: created.id, name: 'life-renamed' });
    expect(renamed.name).toBe('life-renamed');

    const stopping = await alice.sessions.stop({ id: created.id });
    expect(stopping.state).toBe('stopping');
    expect((await alice.sessions.stop({ id: created.id })).state).toBe('stopping'); // one stop
    await readUntil(events, reached(created.id, 'stopped'));

    await alice.sessions.start({ id: created.id });
    await readUntil(events, reached(created.id, 'running'));
    const starts = readFilePodRecords(t.podFile).filter((r) => r.op === 'start' && r.sessionId === created.id);
    expect(starts.map((r) => r.attemptId)).toEqual([`${created.id}-1`, `${created.id}-2`]);

    // Archive while running: stopped first, then archived by the reconciler.
    expect((await alice.sessions.archive({ id: created.id })).state).toBe('stopping');
    await readUntil(events, reached(created.id, 'archived'));
    expect((await alice.sessions.list({})).items.map((s) => s.id)).not.toContain(created.id);
    expect((await alice.sessions.list({ includeArchived: true })).items.map((s) => s.id)).toContain(created.id);
    expect((await alice.sessions.restore({ id: created.id })).state).toBe('stopped');

    const removed = await alice.sessions.delete({ id: created.id, cleanup: ['workspace_storage'] });
    expect(removed).toEqual({ id: created.id, deleted: true });
    await readUntil(events, (e) => e.sessionId === created.id && e.type === 'session_deleted');
    expect(await codeOf(alice.sessions.byId({ id: created.id }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(alice.sessions.delete({ id: created.id, cleanup: ['chronicles'] }))).not.toBe('resolved');
  });

  it('creates without starting, archives stopped sessions in bulk, pages lists', async () => {
    const made = [];
    for (const name of ['page-a', 'page-b', 'page-c'])
      made.push(
        await alice.sessions.create({ name, model: 'claude-haiku-4-5', source: { type: 'blank' }, start: false }),
      );
    expect(made.every((s) => s.state === 'created')).toBe(true);
    const first = await alice.sessions.list({ limit: 2, states: ['created'] });
    expect(first.items.map((s) => s.name)).toEqual(['page-c', 'page-b']);
    const second = await alice.sessions.list({ limit: 2, states: ['created'], cursor: first.nextCursor! });
    expect(second.items.map((s) => s.name)).toEqual(['page-a']);
    expect(second.nextCursor).toBeNull();

    await alice.sessions.start({ id: made[0]!.id });
    await readUntil(events, reached(made[0]!.id, 'running'));
    await alice.sessions.stop({ id: made[0]!.id });
    await readUntil(events, reached(made[0]!.id, 'stopped'));
    const bulk = await alice.sessions.archiveStopped();
    expect(bulk.archived).toEqual([made[0]!.id]);
  });

  it('keeps a second user out of the first one’s sessions and presets', async () => {
    const session = await alice.sessions.create({
      name: 'private',
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
      start: false,
    });
    expect(await codeOf(bob.sessions.byId({ id: session.id }))).toBe('SESSION_NOT_FOUND');
    expect((await bob.sessions.list({})).items).toEqual([]);
    const [alicePreset] = await alice.presets.list({});
    expect(await codeOf(bob.presets.byId({ id: alicePreset!.id }))).toBe('PRESET_NOT_FOUND');
  });

  it('enforces the tenant quota at create and start', async () => {
    const carol = await t.caller(aPrincipal('carol', 'tenant-small'));
    await t.setQuota('tenant-small', 1);
    const one = await carol.sessions.create({ name: 'one', model: 'gpt-5-codex', source: { type: 'blank' } });
    expect(await codeOf(carol.sessions.create({ name: 'two', model: 'gpt-5-codex', source: { type: 'blank' } }))).toBe(
      'QUOTA_EXCEEDED',
    );
    const idle = await carol.sessions.create({
      name: 'three',
      model: 'gpt-5-codex',
      source: { type: 'blank' },
      start: false,
    });
    expect(await codeOf(carol.sessions.start({ id: idle.id }))).toBe('QUOTA_EXCEEDED');
    await carol.sessions.stop({ id: one.id });
  });

  it('resumes the feed after a last event id', async () => {
    const watcher = new AbortController();
    const caller = await t.caller(aPrincipal('alice'), watcher.signal);
    const all = ((await caller.sessions.onState({})) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const firstThree = [];
    for (let i = 0; i < 3; i++) firstThree.push(((await all.next()).value as Tracked)[1]);
    watcher.abort();
    const again = new AbortController();
    const resumedCaller = await t.caller(aPrincipal('alice'), again.signal);
    const resumed = (
      (await resumedCaller.sessions.onState({ lastEventId: firstThree[1]!.id })) as AsyncIterable<unknown>
    )[Symbol.asyncIterator]();
    expect(((await resumed.next()).value as Tracked)[1]).toEqual(firstThree[2]);
    again.abort();
  });
});
