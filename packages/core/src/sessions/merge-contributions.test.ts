import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { mergeContributions, NAMED_LISTS, type NamedContribution } from './merge-contributions';
import type { SessionContribution } from './session-context';

const part = (contributor: string, values: unknown, podSpec: unknown = {}): NamedContribution => ({
  contributor,
  contribution: { values, podSpec } as SessionContribution,
});

function conflictOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('mergeContributions', () => {
  it('merges objects recursively and named lists by name', () => {
    const merged = mergeContributions([
      part('Core', { session: { id: 's1' } }, { containers: [{ name: 'skuld', env: [{ name: 'A', value: '1' }] }] }),
      part('Template', { agent: { systemPrompt: 'p' } }, { env: [{ name: 'X', value: 'x' }] }),
      part(
        'Storage',
        { session: { name: 'n' } },
        {
          containers: [
            { name: 'skuld', env: [{ name: 'B', value: '2' }], volumeMounts: [{ name: 'w', mountPath: '/w' }] },
          ],
        },
      ),
    ]);
    expect(merged).toEqual({
      session: { id: 's1', name: 'n' },
      agent: { systemPrompt: 'p' },
      pod: {
        containers: [
          {
            name: 'skuld',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            volumeMounts: [{ name: 'w', mountPath: '/w' }],
          },
        ],
        env: [{ name: 'X', value: 'x' }],
      },
    });
  });

  it('concatenates other lists in contributor order', () => {
    const merged = mergeContributions([
      part('Template', { agent: { mcpServers: [{ name: 'docs' }], setupScripts: ['a'] } }),
      part('Integration', { agent: { mcpServers: [{ name: 'jira' }], setupScripts: ['b'] } }),
    ]);
    expect(merged.agent).toEqual({ mcpServers: [{ name: 'docs' }, { name: 'jira' }], setupScripts: ['a', 'b'] });
  });

  it('accepts the same value from two contributors', () => {
    expect(
      mergeContributions([part('A', {}, { labels: { x: '1' } }), part('B', {}, { labels: { x: '1' } })]).pod,
    ).toEqual({ labels: { x: '1' } });
  });

  it('reports a scalar conflict with both contributors and the path', () => {
    const error = conflictOf(() =>
      mergeContributions([
        part('Template', {}, { runtimeClassName: 'gvisor' }),
        part('Resource', {}, { runtimeClassName: 'nvidia' }),
      ]),
    );
    expect(error.code).toBe('SPEC_CONFLICT');
    expect(error.message).toBe(
      'Contributors "Template" and "Resource" both set pod.runtimeClassName ("gvisor" vs "nvidia")',
    );
    expect(error.details).toEqual({ path: 'pod.runtimeClassName', contributors: ['Template', 'Resource'] });
  });

  it('names the item of a named list in the conflict path', () => {
    const error = conflictOf(() =>
      mergeContributions([
        part('Core', {}, { containers: [{ name: 'skuld', env: [{ name: 'MODEL', value: 'a' }] }] }),
        part('Custom', {}, { containers: [{ name: 'skuld', env: [{ name: 'MODEL', value: 'b' }] }] }),
      ]),
    );
    expect(error.details?.path).toBe('pod.containers[name=skuld].env[name=MODEL].value');
    expect(error.details?.contributors).toEqual(['Core', 'Custom']);
  });

  it('treats an object, a list and a value at one path as a conflict', () => {
    const error = conflictOf(() =>
      mergeContributions([part('A', { extensions: { x: { deep: 1 } } }), part('B', { extensions: { x: 5 } })]),
    );
    expect(error.message).toBe('Contributors "A" and "B" both set extensions.x (a object vs a value)');
  });

  it('names the first setter even when a third contributor conflicts', () => {
    const error = conflictOf(() =>
      mergeContributions([
        part('A', { workspace: { mountPath: '/w' } }),
        part('B', { workspace: { volume: 'ws' } }),
        part('C', { workspace: { mountPath: '/other' } }),
      ]),
    );
    expect(error.details?.contributors).toEqual(['A', 'C']);
  });

  it('refuses a named-list item without a name, naming the contributor', () => {
    const error = conflictOf(() => mergeContributions([part('Broken', {}, { volumes: [{ source: {} }] })]));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('"Broken"');
    expect(error.message).toContain('pod.volumes');
  });

  it('refuses pod additions put in values', () => {
    const error = conflictOf(() => mergeContributions([part('Confused', { pod: { labels: {} } })]));
    expect(error.code).toBe('SPEC_INVALID');
  });

  it('never modifies its inputs and skips undefined', () => {
    const a = part('A', { session: { id: 's' }, gone: undefined }, { env: [{ name: 'X', value: '1' }] });
    const b = part('B', { session: { name: 'n' } }, { env: [{ name: 'Y', value: '2' }] });
    const before = structuredClone([a, b]);
    const merged = mergeContributions([a, b]);
    expect([a, b]).toEqual(before);
    expect('gone' in merged).toBe(false);
  });
});

// ---- properties -------------------------------------------------------------------------

const scalar = fc.constantFrom<unknown>(1, 2, 'x', 'y', true, false, null);
const { tree } = fc.letrec((tie) => ({
  tree: fc.record(
    {
      a: fc.oneof({ maxDepth: 3, depthIdentifier: 'tree' }, scalar, tie('tree')),
      b: scalar,
      list: fc.array(scalar, { maxLength: 3 }),
      env: fc.uniqueArray(
        fc.record(
          { name: fc.constantFrom('A', 'B', 'C'), value: scalar, nested: tie('tree') },
          { requiredKeys: ['name'] },
        ),
        { selector: (item) => item.name, maxLength: 3, depthIdentifier: 'tree' },
      ),
      labels: fc.dictionary(fc.constantFrom('k1', 'k2', 'k3'), scalar, { maxKeys: 3 }),
    },
    { requiredKeys: [] },
  ),
}));
const contribution = fc.record({ values: tree, podSpec: tree });

/** Order-free form: every list sorted (named lists by name, others by content). */
function normalize(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v));
    return NAMED_LISTS.has(key)
      ? items.sort((x, y) => String((x as { name: string }).name).localeCompare(String((y as { name: string }).name)))
      : items.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => [k, normalize(v, k)]),
    );
  return value;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: DomainError };
function attempt(parts: NamedContribution[]): Outcome {
  try {
    return { ok: true, value: normalize(mergeContributions(parts)) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

/**
 * Splits one tree into two contributions that cannot conflict: every key, list element and
 * named item goes to one side, or (objects and named items) is split again on both sides.
 */
function split(value: unknown, choices: number[], key = ''): [unknown, unknown] {
  const pick = () => choices.shift() ?? 2;
  if (Array.isArray(value)) {
    const left: unknown[] = [];
    const right: unknown[] = [];
    for (const item of value) {
      const choice = pick();
      if (NAMED_LISTS.has(key) && choice === 2) {
        const [l, r] = split(item, choices);
        left.push(l);
        right.push(r);
      } else (choice === 0 ? left : right).push(item);
    }
    return [left, right];
  }
  if (value && typeof value === 'object') {
    const left: Record<string, unknown> = {};
    const right: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const choice = k === 'name' ? 3 : pick();
      if (choice === 0) left[k] = v;
      else if (choice === 1) right[k] = v;
      else if (choice === 3 || typeof v !== 'object' || v === null) {
        left[k] = v; // the same scalar on both sides is not a conflict
        right[k] = v;
      } else [left[k], right[k]] = split(v, choices, k);
    }
    return [left, right];
  }
  return [value, value];
}

describe('mergeContributions properties', () => {
  it('merging the two halves of a tree gives the tree back, in either order', () => {
    fc.assert(
      fc.property(
        contribution,
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 300, maxLength: 300 }),
        (t, choices) => {
          const [aValues, bValues] = split(t.values, choices);
          const [aPod, bPod] = split(t.podSpec, choices);
          const ab = attempt([part('A', aValues, aPod), part('B', bValues, bPod)]);
          const ba = attempt([part('B', bValues, bPod), part('A', aValues, aPod)]);
          const whole = normalize({ ...t.values, pod: t.podSpec });
          expect(ab).toEqual({ ok: true, value: whole });
          expect(ba).toEqual({ ok: true, value: whole });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is order-independent (up to list order) when nothing conflicts, and conflicts either way otherwise', () => {
    fc.assert(
      fc.property(contribution, contribution, (a, b) => {
        const ab = attempt([part('A', a.values, a.podSpec), part('B', b.values, b.podSpec)]);
        const ba = attempt([part('B', b.values, b.podSpec), part('A', a.values, a.podSpec)]);
        expect(ab.ok).toBe(ba.ok);
        if (ab.ok && ba.ok) expect(ab.value).toEqual(ba.value);
      }),
      { numRuns: 500 },
    );
  });

  it('is order-independent across every ordering of three contributions', () => {
    fc.assert(
      fc.property(contribution, contribution, contribution, (a, b, c) => {
        const named = [part('A', a.values, a.podSpec), part('B', b.values, b.podSpec), part('C', c.values, c.podSpec)];
        const orders = [
          [0, 1, 2],
          [0, 2, 1],
          [1, 0, 2],
          [1, 2, 0],
          [2, 0, 1],
          [2, 1, 0],
        ].map((order) => attempt(order.map((i) => named[i] as NamedContribution)));
        const first = orders[0] as Outcome;
        for (const other of orders) {
          expect(other.ok).toBe(first.ok);
          if (other.ok && first.ok) expect(other.value).toEqual(first.value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('names both contributors and the path in every conflict', () => {
    fc.assert(
      fc.property(contribution, contribution, (a, b) => {
        const result = attempt([part('First', a.values, a.podSpec), part('Second', b.values, b.podSpec)]);
        if (result.ok) return;
        expect(result.error.code).toBe('SPEC_CONFLICT');
        expect(result.error.details?.contributors).toEqual(['First', 'Second']);
        expect(result.error.message).toContain('"First"');
        expect(result.error.message).toContain('"Second"');
        expect(result.error.message).toContain(String(result.error.details?.path));
      }),
      { numRuns: 500 },
    );
  });

  it('a different scalar at any shared path is always a conflict', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 4 }),
        scalar,
        scalar,
        (path, v1, v2) => {
          fc.pre(v1 !== v2);
          const nest = (value: unknown) => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
          const result = attempt([part('P', { extensions: nest(v1) }), part('Q', { extensions: nest(v2) })]);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error.details?.path).toBe(['extensions', ...path].join('.'));
        },
      ),
    );
  });

  it('one contribution merges to a copy of itself', () => {
    fc.assert(
      fc.property(contribution, (a) => {
        const merged = mergeContributions([part('Only', a.values, a.podSpec)]);
        expect(normalize(merged)).toEqual(normalize({ ...a.values, pod: a.podSpec }));
      }),
    );
  });
});
