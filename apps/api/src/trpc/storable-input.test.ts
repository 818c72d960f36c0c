import { describe, expect, it } from 'vitest';
import { nulPath } from './storable-input';

describe('nulPath', () => {
  it('finds U+0000 in nested strings and keys, and nothing elsewhere', () => {
    expect(nulPath({ a: [1, { b: 'x\u0000y' }] })).toEqual(['a', 1, 'b']);
    expect(nulPath({ 'k\u0000': 1 })).toEqual(['k\u0000']);
    expect(nulPath('\u0000')).toEqual([]);
    expect(nulPath({ a: 'fine', b: [null, 3, true, 'ünïcödé 💥'] })).toBeNull();
  });
});
