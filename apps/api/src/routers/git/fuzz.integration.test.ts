/**
 * Every procedure of git, credentials and integrations, 300 generated inputs each, over HTTP
 * (tRPC) against one server whose git registry knows only the GitHub test server: the answer is
 * never a 5xx, a validation failure names its field paths, and no generated repository makes
 * the server contact a host it was not configured with.
 */

import { type GitHubServer, startGitHubServer } from '@volundr/testkit/github-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { appRouter } from '../app-router';

const AREAS = ['git.', 'credentials.', 'integrations.'];
const RUNS = 300;

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
}
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).filter(([path]) => AREAS.some((a) => path.startsWith(a)));

function keysOf(schema: z.ZodType | undefined): string[] {
  let current = schema as unknown as {
    shape?: Record<string, unknown>;
    def?: { innerType?: unknown; options?: unknown[] };
  };
  // `.default({})` wraps the object; a discriminated union has options.
  if (current?.def?.innerType) current = current.def.innerType as typeof current;
  if (current?.def?.options)
    return [
      ...new Set(
        (current.def.options as { shape?: Record<string, unknown> }[]).flatMap((o) => Object.keys(o.shape ?? {})),
      ),
    ];
  return current?.shape ? Object.keys(current.shape) : [];
}

const weird = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '-x', '../../etc/passwd', '%2e%2e', '💥'.repeat(70)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const garbage = fc.oneof({ weight: 3, arbitrary: fc.anything({ maxDepth: 3 }) }, { weight: 2, arbitrary: weird });

function plausible(key: string, ctx: { github: string; sessions: string[] }): fc.Arbitrary<unknown> {
  switch (key) {
    case 'repo':
      return fc.constantFrom(
        `${ctx.github}/acme/app`,
        `${ctx.github}/acme/missing`,
        `${ctx.github}/other/app`,
        'https://169.254.169.254/latest/meta-data',
        'http://localhost:5432/x/y',
        'git@evil.example:a/b',
        '--upload-pack=touch /tmp/fuzz',
        'ext::sh -c id',
        'file:///etc/passwd',
        `${ctx.github}/acme/app/../../x`,
        `https://u:p@${ctx.github.slice(7)}/acme/app`,
      );
    case 'branch':
    case 'targetBranch':
      return fc.constantFrom('main', 'topic/1', '-x', 'a..b', 'x.lock');
    case 'sessionId':
    case 'id':
      return fc.constantFrom(...ctx.sessions, crypto.randomUUID(), 'integration-x');
    case 'number':
      return fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(1e12));
    case 'method':
      return fc.constantFrom('token', 'oauth', 'merge', 'squash', 'rebase', 'fast-forward');
    case 'state':
      return fc.constantFrom('open', 'closed', 'all', 'S'.repeat(43), 'short');
    case 'provider':
      return fc.constantFrom('github', 'gitlab', 'nope', 'GitHub');
    case 'token':
      return fc.constantFrom('ghp_fuzz_0000000', 'short', 'with space token', 'x'.repeat(5000));
    case 'code':
      return fc.constantFrom('code_x', '', 'a b');
    case 'name':
      return fc.constantFrom('fuzz-cred', 'Bad Name', 'integration-github', 'a..b', 'x'.repeat(64));
    case 'type':
      return fc.constantFrom('api_key', 'git_credential', 'ssh_key', 'oauth_token', 'generic', 'password');
    case 'data':
      return fc.oneof(
        fc.dictionary(
          fc.constantFrom('TOKEN', 'token', 'private_key', 'password', 'bad key', '__proto__'),
          fc.string({ maxLength: 30 }),
        ),
        fc.constant({}),
      );
    case 'metadata':
      return fc.oneof(
        fc.constant({ host: 'git.test' }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
      );
    case 'draft':
      return fc.boolean();
    default:
      return fc.constantFrom('fuzz', 1, true);
  }
}

function inputArbitrary(keys: string[], ctx: { github: string; sessions: string[] }) {
  if (keys.length === 0) return fc.oneof(fc.constant(undefined), fc.constant({}), garbage);
  const field = (key: string) =>
    fc.oneof({ weight: 4, arbitrary: plausible(key, ctx) }, { weight: 1, arbitrary: garbage });
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, field(k)])), { requiredKeys: [] });
  return fc.oneof({ weight: 7, arbitrary: shaped }, { weight: 2, arbitrary: garbage });
}

describe('fuzzing every git, credentials and integrations procedure over HTTP', () => {
  let github: GitHubServer;
  let t: SessionTestApi;
  let headers: Record<string, string>;
  const ctx = { github: '', sessions: [] as string[] };

  beforeAll(async () => {
    github = await startGitHubServer();
    github.addToken('ghp_fuzz_0000000', 'alice');
    await github.createRepo('acme/app', { a: '1' }, { private: true });
    ctx.github = github.url;
    t = await startSessionTestApi({
      driver: 'pglite',
      config: {
        adapters: {
          git: {
            use: '@volundr/adapter-git/git-registry#gitRegistry',
            timeoutMs: 2_000,
            providers: [
              {
                name: 'github',
                kind: 'github',
                webUrl: github.url,
                apiUrl: github.apiUrl,
                allowHttp: true,
                orgs: ['acme'],
              },
            ],
          },
        },
      },
    });
    headers = { authorization: `Bearer ${await t.token('alice')}` };
    const alice = await t.caller({
      userId: 'alice',
      email: null,
      name: null,
      tenantId: 'default',
      roles: ['volundr:developer'],
    });
    await alice.integrations.connect({ method: 'token', provider: 'github', token: 'ghp_fuzz_0000000' });
    ctx.sessions.push(
      (
        await alice.sessions.create({
          name: 'fuzz-target',
          model: 'claude-sonnet-4-5',
          source: { type: 'git', repo: `${github.url}/acme/app`, branch: 'main' },
          start: false,
        })
      ).id,
    );
  });
  afterAll(async () => {
    await t?.stop();
    await github?.close();
  });

  it('covers the procedures it means to', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(14);
  });

  for (const [path, procedure] of procedures) {
    it(`${path}: ${RUNS} inputs, never a 5xx, validation failures name their fields`, async () => {
      const def = procedure._def;
      const failures: string[] = [];
      for (const input of fc.sample(inputArbitrary(keysOf(def.inputs[0]), ctx), { numRuns: RUNS, seed: 42 })) {
        const response =
          def.type === 'query'
            ? await fetch(
                `${t.base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
                {
                  headers,
                },
              )
            : await fetch(`${t.base}/trpc/${path}`, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                ...(input === undefined ? {} : { body: JSON.stringify(input) }),
              });
        const body = await response.text();
        if (response.status >= 500)
          failures.push(`${response.status} for ${JSON.stringify(input)?.slice(0, 200)}: ${body.slice(0, 300)}`);
        else if (response.status >= 400) {
          const error = (JSON.parse(body) as { error?: { data?: { apiError?: { code: string; issues?: unknown[] } } } })
            .error?.data?.apiError;
          if (!error) failures.push(`${response.status} without an API error: ${body.slice(0, 200)}`);
          else if (error.code === 'VALIDATION_FAILED' && !error.issues?.length)
            failures.push(`validation failure without field paths: ${body.slice(0, 200)}`);
        }
      }
      expect(failures.slice(0, 5)).toEqual([]);
      // Only the configured GitHub test server was ever asked anything.
      expect(github.requests.every((r) => r.path.startsWith('/api/v3/') || r.path.startsWith('/acme/'))).toBe(true);
    });
  }
});
