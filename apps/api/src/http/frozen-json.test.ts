import { describe, expect, it } from 'vitest';
import { freezeForJson, jsonText } from './frozen-json';

describe('jsonText', () => {
  it('writes what JSON.stringify writes', () => {
    const values: unknown[] = [
      null,
      0,
      'a "quoted" line\n',
      [1, undefined, () => 1, Symbol('s'), { a: undefined }],
      { a: 1, b: undefined, c: () => 1, d: new Date(0), e: { f: { g: [1, { h: null }] } }, 'k"ey': true },
      { items: [{ n: 1 }, { n: 2 }], nextCursor: null },
      { toJSON: () => ({ replaced: true }) },
      new Map([['x', 1]]),
      Object.assign(Object.create(null) as object, { bare: 1 }),
    ];
    for (const value of values) expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('reuses the text of objects it froze, which cannot change afterwards', () => {
    const item = freezeForJson({ id: 's-1', source: { type: 'blank' }, tags: ['a'] });
    const page = { items: [item, item], nextCursor: 'c' };
    expect(jsonText(page)).toBe(JSON.stringify(page));
    expect(jsonText(page)).toBe(JSON.stringify(page));
    expect(() => {
      (item.source as { type: string }).type = 'git';
    }).toThrow(TypeError);
    expect(() => {
      item.tags.push('b');
    }).toThrow(TypeError);
  });
});
