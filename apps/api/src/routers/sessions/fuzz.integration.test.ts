import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { appRouter } from '../app-router';

/**
 * Every procedure of sessions, presets, templates, profiles and models, 1,000 generated inputs
 * each, through HTTP (tRPC for queries and mutations, the REST SSE route for onState) against
 * one server: the answer is never a 5xx, and a validation failure names its field paths.
 */

const AREAS = ['sessions.', 'presets.', 'templates.', 'profiles.', 'models.'];
const RUNS = 1_000;

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
}
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).filter(([path]) => AREAS.some((a) => path.startsWith(a)));

/** The keys of a procedure's input object (empty for inputs that are not objects). */
function keysOf(schema: z.ZodType | undefined): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const POLLUTION = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const weird = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', '💥'.repeat(70), 'a'.repeat(64), '-x-', '../../etc/passwd', 'NaN'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
);
const huge = (max: number) => fc.integer({ min: 1, max }).map((n) => 'x'.repeat(n));
const garbage = (maxHuge: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.anything({ key: fc.oneof(fc.string(), fc.constantFrom(...POLLUTION)), maxDepth: 3 }) },
    { weight: 2, arbitrary: weird },
    { weight: 1, arbitrary: huge(maxHuge) },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(fc.constantFrom(...POLLUTION), fc.anything({ maxDepth: 2 }), { minKeys: 1 })
        .map((d) => JSON.parse(JSON.stringify(d)) as unknown),
    },
  );

/** Values that look right for a key, so generated inputs also get past validation into use cases. */
function plausible(key: string, ids: { sessions: string[]; presets: string[] }): fc.Arbitrary<unknown> {
  switch (key) {
    case 'id':
    case 'sessionId':
      return fc.constantFrom(...ids.sessions, ...ids.presets, crypto.randomUUID());
    case 'name':
      return fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/), fc.constantFrom('claude', 'codex'));
    case 'model':
      return fc.constantFrom('claude-sonnet-4-5', 'gpt-5-codex', 'nope');
    case 'source':
      return fc.constantFrom(
        { type: 'blank' },
        { type: 'git', repo: 'https://github.com/org/repo', branch: 'main' },
        { type: 'git', repo: 'https://user:token@github.com/org/repo', branch: 'main' },
        { type: 'svn' },
      );
    case 'cli':
      return fc.constantFrom('claude', 'codex');
    case 'states':
      return fc.subarray(['created', 'running', 'stopped', 'archived']);
    case 'cleanup':
      return fc.subarray(['workspace_storage', 'chronicles']);
    case 'lastEventId':
      return fc.constantFrom('0', '1', '99999999', '9999999999999999999');
    case 'limit':
      return fc.integer({ min: -5, max: 200 });
    case 'cursor':
      return fc.constantFrom('bm90IGEgY3Vyc29y', 'MjAyNi0wMS0wMVQwMDowMDowMC4wMDBafHg');
    case 'defaults':
      return fc.constantFrom({}, { model: 'claude-sonnet-4-5' }, { env: { A: '1' } }, { resources: { gpu: 99 } });
    case 'start':
    case 'isDefault':
    case 'includeArchived':
    case 'terminalRestricted':
      return fc.boolean();
    case 'state':
      return fc.constantFrom('active', 'idle', 'tool_executing');
    default:
      return fc.constantFrom('fuzz', 1, true);
  }
}

function inputArbitrary(keys: string[], ids: { sessions: string[]; presets: string[] }, maxHuge: number) {
  if (keys.length === 0)
    return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: garbage(maxHuge) });
  const field = (key: string) =>
    fc.oneof({ weight: 3, arbitrary: plausible(key, ids) }, { weight: 1, arbitrary: garbage(maxHuge) });
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, field(k)])), { requiredKeys: [] });
  const withExtra = fc
    .tuple(shaped, fc.constantFrom(...POLLUTION, 'extra'), fc.anything({ maxDepth: 1 }))
    .map(([obj, key, value]) => JSON.parse(JSON.stringify({ ...obj, [key]: value })) as unknown);
  return fc.oneof(
    { weight: 6, arbitrary: shaped },
    { weight: 2, arbitrary: withExtra },
    { weight: 2, arbitrary: garbage(maxHuge) },
  );
}

interface Answer {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream') && res.statusCode === 200) {
        // A stream that was accepted: nothing more to check here.
        res.destroy();
        resolve({ status: 200, body: '' });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface ApiErrorBody {
  code: string;
  issues?: { path: unknown[]; message: string }[];
}

/** The API error in either a REST (`{error}`) or a tRPC (`{error: {data: {apiError}}}`) body. */
function apiErrorOf(body: string): ApiErrorBody | null {
  try {
    const parsed = JSON.parse(body) as { error?: ApiErrorBody & { data?: { apiError?: ApiErrorBody } } };
    return (
      parsed.error?.data?.apiError ??
      (parsed.error?.code && typeof parsed.error.code === 'string' ? parsed.error : null)
    );
  } catch {
    return null;
  }
}

describe('fuzzing every sessions, presets and catalog procedure over HTTP', () => {
  let t: SessionTestApi;
  let headers: Record<string, string>;
  const ids = { sessions: [] as string[], presets: [] as string[] };

  beforeAll(async () => {
    t = await startSessionTestApi({ driver: 'pglite' });
    const alice = await t.caller({
      userId: 'alice',
      email: null,
      name: null,
      tenantId: 'default',
      roles: ['volundr:developer'],
    });
    const token = await t.token('alice');
    headers = { authorization: `Bearer ${token}` };
    // Something real to aim at: a session and a preset of the caller, one of another user.
    ids.sessions.push(
      (
        await alice.sessions.create({
          name: 'target',
          model: 'claude-sonnet-4-5',
          source: { type: 'blank' },
          start: false,
        })
      ).id,
    );
    ids.presets.push((await alice.presets.create({ name: 'target', cli: 'claude' })).id);
    const bob = await t.caller({
      userId: 'bob',
      email: null,
      name: null,
      tenantId: 'default',
      roles: ['volundr:developer'],
    });
    ids.sessions.push(
      (
        await bob.sessions.create({
          name: 'other',
          model: 'claude-sonnet-4-5',
          source: { type: 'blank' },
          start: false,
        })
      ).id,
    );
  });
  afterAll(async () => {
    agent.destroy();
    await t?.stop();
  });

  it('covers the procedures it means to', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
  });

  for (const [path, procedure] of procedures) {
    it(`${path}: ${RUNS} inputs, never a 5xx, validation failures name their fields`, async () => {
      const def = procedure._def;
      const keys = keysOf(def.inputs[0]);
      // Inputs in a URL stay under Node's 16 KB header limit; bodies may be huge.
      const arbitrary = inputArbitrary(keys, ids, def.type === 'mutation' ? 200_000 : 1_500);
      const failures: string[] = [];
      let validationFailures = 0;
      const samples = fc.sample(arbitrary, { numRuns: RUNS });
      const check = async (input: unknown) => {
        let answer: Answer;
        if (def.type === 'subscription') {
          const query = new URLSearchParams();
          if (input && typeof input === 'object' && !Array.isArray(input))
            for (const [k, v] of Object.entries(input))
              query.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
          else if (input !== undefined) query.append('input', JSON.stringify(input) ?? '');
          answer = await send(`${t.base}/api/v1/sessions/stream?${query}`, 'GET', headers);
        } else if (def.type === 'query') {
          const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
          answer = await send(`${t.base}/trpc/${path}${q}`, 'GET', headers);
        } else {
          const body = input === undefined ? undefined : JSON.stringify(input);
          answer = await send(
            `${t.base}/trpc/${path}`,
            'POST',
            { ...headers, 'content-type': 'application/json' },
            body,
          );
        }
        const error = apiErrorOf(answer.body);
        if (answer.status >= 500)
          failures.push(`${answer.status} for ${JSON.stringify(input)?.slice(0, 200)}: ${answer.body.slice(0, 300)}`);
        else if (answer.status >= 400) {
          if (!error) failures.push(`${answer.status} without an API error body: ${answer.body.slice(0, 200)}`);
          else if (error.code === 'VALIDATION_FAILED') {
            validationFailures++;
            if (
              !error.issues?.length ||
              !error.issues.every((i) => Array.isArray(i.path) && typeof i.message === 'string')
            )
              failures.push(`validation failure without field paths: ${answer.body.slice(0, 200)}`);
          }
        }
      };
      // A few requests at a time: the server sees concurrency, the test stays quick.
      for (let i = 0; i < samples.length; i += 8) await Promise.all(samples.slice(i, i + 8).map(check));
      expect(failures.slice(0, 5)).toEqual([]);
      if (keys.length > 0 || def.inputs.length > 0) expect(validationFailures).toBeGreaterThan(0);
    });
  }
});
