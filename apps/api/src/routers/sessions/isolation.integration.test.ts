import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPrincipal, type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { openSse } from '../../test/sse-client';
import { appRouter } from '../app-router';

/**
 * A second user is refused every session and preset procedure on the first user's resources
 * (404, or 403 where reading is allowed but acting is not), over HTTP. The table below must
 * name every procedure of those areas: a new procedure without a check fails this test.
 */

interface World {
  t: SessionTestApi;
  /** Calls a procedure over /trpc as bob: status and API error code. */
  asBob(path: string, input: unknown): Promise<{ status: number; code: string | null; data: unknown }>;
  aliceSession: string;
  aliceStopped: string;
  alicePreset: string;
  bobToken: string;
}

type Check = (w: World) => Promise<void>;

const refused =
  (path: string, input: (w: World) => unknown): Check =>
  async (w) => {
    const answer = await w.asBob(path, input(w));
    expect([403, 404], `${path} answered ${answer.status} ${answer.code}`).toContain(answer.status);
  };

const CHECKS: Record<string, Check> = {
  'sessions.byId': refused('sessions.byId', (w) => ({ id: w.aliceSession })),
  'sessions.start': refused('sessions.start', (w) => ({ id: w.aliceStopped })),
  'sessions.stop': refused('sessions.stop', (w) => ({ id: w.aliceSession })),
  'sessions.archive': refused('sessions.archive', (w) => ({ id: w.aliceStopped })),
  'sessions.restore': refused('sessions.restore', (w) => ({ id: w.aliceSession })),
  'sessions.update': refused('sessions.update', (w) => ({ id: w.aliceSession, name: 'taken-over' })),
  'sessions.delete': refused('sessions.delete', (w) => ({ id: w.aliceSession })),
  'sessions.reportActivity': refused('sessions.reportActivity', (w) => ({ id: w.aliceSession, state: 'active' })),
  'sessions.openService': async (w) => {
    for (const service of ['chat', 'terminal', 'ide', 'api'])
      await refused('sessions.openService', (x) => ({ id: x.aliceSession, service }))(w);
  },
  // Creating is about bob's own session; naming alice's preset in it is refused.
  'sessions.create': refused('sessions.create', (w) => ({
    name: 'uses-alices-preset',
    model: 'claude-sonnet-4-5',
    source: { type: 'blank' },
    presetId: w.alicePreset,
    start: false,
  })),
  'sessions.list': async (w) => {
    for (const input of [{}, { ownerId: 'alice' }, { includeArchived: true, states: ['stopped', 'created'] }]) {
      const answer = await w.asBob('sessions.list', input);
      expect(answer.status).toBe(200);
      expect((answer.data as { items: unknown[] }).items).toEqual([]);
    }
  },
  'sessions.archiveStopped': async (w) => {
    const answer = await w.asBob('sessions.archiveStopped', undefined);
    expect(answer.status, JSON.stringify(answer)).toBe(200);
    expect(answer.data).toEqual({ archived: [], skipped: [] });
  },
  'sessions.onState': async (w) => {
    const auth = { authorization: `Bearer ${w.bobToken}` };
    const one = await openSse(`${w.t.base}/api/v1/sessions/stream?sessionId=${w.aliceSession}`, auth);
    expect(one.status).toBe(404);
    // The feed of everything bob may see replays nothing of alice's from the start of the log.
    const all = await openSse(`${w.t.base}/api/v1/sessions/stream?lastEventId=0`, auth);
    expect(all.status).toBe(200);
    const bobs = await w.asBob('sessions.create', {
      name: 'bobs-own',
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
      start: false,
    });
    const first = await all.next();
    all.close();
    expect(JSON.parse(first.data)).toMatchObject({ ownerId: 'bob', sessionId: (bobs.data as { id: string }).id });
  },
  'presets.byId': refused('presets.byId', (w) => ({ id: w.alicePreset })),
  'presets.update': refused('presets.update', (w) => ({ id: w.alicePreset, name: 'mine-now' })),
  'presets.delete': refused('presets.delete', (w) => ({ id: w.alicePreset })),
  'presets.list': async (w) => {
    const answer = await w.asBob('presets.list', {});
    expect(answer.data).toEqual([]);
  },
  // Creating is about bob's own preset; alice's keeps its name and default.
  'presets.create': async (w) => {
    const answer = await w.asBob('presets.create', { name: 'alices-name', cli: 'claude', isDefault: true });
    expect(answer.status).toBe(200);
    expect((answer.data as { ownerId: string }).ownerId).toBe('bob');
  },
};

const AREAS = ['sessions.', 'presets.'];
const guarded = Object.keys(appRouter._def.procedures).filter((p) => AREAS.some((a) => p.startsWith(a)));

describe('a second user is refused every session and preset procedure', () => {
  const w = {} as World;
  let aliceVersions: Record<string, number>;

  beforeAll(async () => {
    w.t = await startSessionTestApi({ driver: 'pglite' });
    const alice = await w.t.caller(aPrincipal('alice'));
    const preset = await alice.presets.create({ name: 'alices-name', cli: 'claude', isDefault: true });
    w.alicePreset = preset.id;
    w.aliceSession = (
      await alice.sessions.create({
        name: 'secret',
        model: 'claude-sonnet-4-5',
        source: { type: 'blank' },
        start: false,
      })
    ).id;
    w.aliceStopped = (
      await alice.sessions.create({
        name: 'stopped',
        model: 'claude-sonnet-4-5',
        source: { type: 'blank' },
        start: false,
      })
    ).id;
    const repo = w.t.api.services.sessionRuntime.sessionsRepository;
    const stopped = (await repo.byId(w.aliceStopped))!;
    await repo.update(stopped.id, stopped.version, { state: 'stopped', updatedAt: new Date() });
    aliceVersions = {
      [w.aliceSession]: (await repo.byId(w.aliceSession))!.version,
      [w.aliceStopped]: (await repo.byId(w.aliceStopped))!.version,
    };
    w.bobToken = await w.t.token('bob');
    w.asBob = async (path, input) => {
      const query =
        (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]?._def.type ===
        'query';
      const response = query
        ? await fetch(
            `${w.t.base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
            { headers: { authorization: `Bearer ${w.bobToken}` } },
          )
        : await fetch(`${w.t.base}/trpc/${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${w.bobToken}`, 'content-type': 'application/json' },
            ...(input === undefined ? {} : { body: JSON.stringify(input) }),
          });
      const body = (await response.json()) as {
        result?: { data: unknown };
        error?: { data?: { apiError?: { code: string } } };
      };
      return { status: response.status, code: body.error?.data?.apiError?.code ?? null, data: body.result?.data };
    };
  });
  afterAll(async () => {
    await w.t?.stop();
  });

  it('has a check for every procedure of the guarded areas', () => {
    expect(guarded.length).toBeGreaterThan(10);
    expect(guarded.filter((p) => !(p in CHECKS))).toEqual([]);
  });

  for (const path of guarded) {
    it(`${path} is refused or confined to bob's own`, async () => {
      const check = CHECKS[path];
      if (!check) throw new Error(`no isolation check for ${path}: add one to CHECKS`);
      await check(w);
    });
  }

  it("leaves alice's sessions and preset as they were", async () => {
    const repo = w.t.api.services.sessionRuntime.sessionsRepository;
    for (const [id, version] of Object.entries(aliceVersions)) expect((await repo.byId(id))?.version).toBe(version);
    const alice = await w.t.caller(aPrincipal('alice'));
    expect(await alice.presets.byId({ id: w.alicePreset })).toMatchObject({ name: 'alices-name', isDefault: true });
  });
});
