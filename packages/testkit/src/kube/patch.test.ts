import { describe, expect, it } from 'vitest';
import { applyConfiguration, jsonPatch, mergePatch, strategicMerge } from './patch';

describe('patches', () => {
  it('merge patch (RFC 7386): objects merge, null deletes, lists replace', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      l: [3],
    });
  });

  it('JSON patch (RFC 6902): add, remove, replace, move, copy, test, array append', () => {
    const doc = { a: { b: 1 }, list: [1, 2], 'x/y': 0 };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/list/-', value: 3 },
        { op: 'replace', path: '/a/b', value: 2 },
        { op: 'copy', from: '/a', path: '/c' },
        { op: 'move', from: '/x~1y', path: '/z' },
        { op: 'remove', path: '/list/0' },
        { op: 'test', path: '/c/b', value: 2 },
      ]),
    ).toEqual({ a: { b: 2 }, c: { b: 2 }, list: [2, 3], z: 0 });
    expect(doc).toEqual({ a: { b: 1 }, list: [1, 2], 'x/y': 0 });
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/a/b', value: 9 }])).toThrow(/testing value/);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow();
  });

  it('strategic merge: keyed lists merge by their key, $patch directives apply, other lists replace', () => {
    const live = {
      spec: {
        containers: [
          { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
          { name: 'b', image: 'b:1' },
        ],
        args: ['--one'],
        finalizers: ['f1'],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'Scheduled', status: 'True' },
        ],
      },
    };
    const patched = strategicMerge(live, {
      spec: {
        containers: [
          { name: 'a', env: [{ name: 'Y', value: '2' }] },
          { name: 'b', $patch: 'delete' },
          { name: 'c', image: 'c:1' },
        ],
        args: ['--two'],
        finalizers: ['f2'],
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(patched).toEqual({
      spec: {
        containers: [
          {
            name: 'a',
            image: 'a:1',
            env: [
              { name: 'X', value: '1' },
              { name: 'Y', value: '2' },
            ],
          },
          { name: 'c', image: 'c:1' },
        ],
        args: ['--two'],
        finalizers: ['f1', 'f2'],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Scheduled', status: 'True' },
        ],
      },
    });
    expect(strategicMerge({ m: { a: 1, b: 2 } }, { m: { $patch: 'replace', c: 3 } })).toEqual({ m: { c: 3 } });
    expect(strategicMerge({ f: ['a', 'b'] }, { '$deleteFromPrimitiveList/f': ['a'] })).toEqual({ f: ['b'] });
    expect(
      strategicMerge(
        { containers: [{ name: 'a' }, { name: 'b' }] },
        { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', x: 1 }] },
      ),
    ).toEqual({ containers: [{ name: 'b' }, { name: 'a', x: 1 }] });
  });

  it('apply removes what the same manager applied before and no longer does', () => {
    const live = { data: { mine: '1', dropped: '2', theirs: '3' } };
    expect(applyConfiguration(live, { data: { mine: '1', dropped: '2' } }, { data: { mine: '9' } })).toEqual({
      data: { mine: '9', theirs: '3' },
    });
  });
});
