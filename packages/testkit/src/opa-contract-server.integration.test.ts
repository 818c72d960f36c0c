import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpaContractServer, startOpaContractServer } from './opa-contract-server';

let opa: OpaContractServer;

beforeAll(async () => {
  opa = await startOpaContractServer({
    'volundr.authz': (input) => {
      const { user } = (input ?? {}) as { user?: string };
      if (user === 'boom') throw new Error('eval_conflict_error: complete rules must not produce multiple outputs');
      return {
        allow: user === 'alice',
        reason: user === undefined ? undefined : `asked for ${user}`,
        tags: ['a', 'b'],
      };
    },
    'other.pkg': () => ({ value: 1 }),
  });
});
afterAll(async () => {
  await opa.close();
});

async function post(path: string, body: string) {
  const response = await fetch(`${opa.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), json: await response.json() };
}

describe('OPA contract server: the data API as OPA speaks it', () => {
  it('answers a package path with the package document for the input', async () => {
    const answer = await post('/v1/data/volundr/authz', JSON.stringify({ input: { user: 'alice' } }));
    expect(answer).toEqual({
      status: 200,
      type: 'application/json',
      json: { result: { allow: true, reason: 'asked for alice', tags: ['a', 'b'] } },
    });
    expect(opa.requests.at(-1)).toEqual({ method: 'POST', path: 'volundr/authz', input: { user: 'alice' } });
  });

  it('descends into a rule, and into arrays by index', async () => {
    expect((await post('/v1/data/volundr/authz/allow', '{"input":{"user":"bob"}}')).json).toEqual({ result: false });
    expect((await post('/v1/data/volundr/authz/tags/1', '{"input":{}}')).json).toEqual({ result: 'b' });
  });

  it('nests packages below a parent path', async () => {
    const answer = await post('/v1/data/volundr', '{"input":{"user":"alice"}}');
    expect(answer.json).toEqual({ result: { authz: { allow: true, reason: 'asked for alice', tags: ['a', 'b'] } } });
    const root = await post('/v1/data', '{"input":{}}');
    expect(root.json).toEqual({
      result: { volundr: { authz: { allow: false, tags: ['a', 'b'] } }, other: { pkg: { value: 1 } } },
    });
  });

  it('answers an undefined document (unknown package or rule) with 200 and no result', async () => {
    expect(await post('/v1/data/nope/authz', '{"input":{}}')).toEqual({
      status: 200,
      type: 'application/json',
      json: {},
    });
    expect((await post('/v1/data/volundr/authz/missing', '{"input":{}}')).json).toEqual({});
    // A rule whose value is undefined is absent from the document, as in OPA.
    expect((await post('/v1/data/volundr/authz/reason', '{"input":{}}')).json).toEqual({});
  });

  it('evaluates without input and warns when the body has no input key', async () => {
    const answer = await post('/v1/data/volundr/authz/allow', '{"user":"alice"}');
    expect(answer.json).toEqual({
      result: false,
      warning: { code: 'api_usage_warning', message: "'input' key missing from the request" },
    });
    expect(opa.requests.at(-1)?.input).toBeUndefined();
    expect((await post('/v1/data/volundr/authz/allow', '')).json).toEqual({ result: false });
  });

  it('rejects malformed JSON with 400 invalid_parameter', async () => {
    const answer = await post('/v1/data/volundr/authz', '{"input": ');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_parameter', message: expect.stringMatching(/malformed input/) });
  });

  it('turns an evaluation error into 500 internal_error', async () => {
    const answer = await post('/v1/data/volundr/authz', '{"input":{"user":"boom"}}');
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({
      code: 'internal_error',
      message: 'eval_conflict_error: complete rules must not produce multiple outputs',
    });
  });

  it('serves GET with the input as a query parameter, and /health', async () => {
    const input = encodeURIComponent(JSON.stringify({ user: 'alice' }));
    const get = await fetch(`${opa.url}/v1/data/volundr/authz/allow?input=${input}`);
    expect(await get.json()).toEqual({ result: true });
    const health = await fetch(`${opa.url}/health`);
    expect([health.status, await health.json()]).toEqual([200, {}]);
  });

  it('refuses what it does not speak in OPA’s error shape', async () => {
    const put = await fetch(`${opa.url}/v1/data/volundr`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ code: 'invalid_parameter' });
    const policies = await fetch(`${opa.url}/v1/policies`);
    expect(policies.status).toBe(404);
    expect(await policies.json()).toMatchObject({ code: 'resource_not_found' });
  });
});
