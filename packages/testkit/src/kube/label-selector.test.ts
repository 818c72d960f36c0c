import { describe, expect, it } from 'vitest';
import { KubeApiError } from './api-error';
import { parseLabelSelector } from './label-selector';

const labels = { app: 'web', tier: 'front', version: '3' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web,tier=front', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (front,back)', true],
    ['tier in (back)', false],
    ['tier notin (back)', true],
    ['missing notin (a)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['version>2', true],
    ['version<3', false],
    ['app=web,tier in (front), !legacy', true],
    ['example.com/owner=x', false],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('matches objects without labels only by absence requirements', () => {
    expect(parseLabelSelector('!app').matches(undefined)).toBe(true);
    expect(parseLabelSelector('app').matches(undefined)).toBe(false);
  });

  it('exposes equality requirements for indexing', () => {
    expect([...parseLabelSelector('app=web,tier in (a,b),x==y').equalities]).toEqual([
      ['app', 'web'],
      ['x', 'y'],
    ]);
  });

  it.each(['app in (web', 'bad key=x', 'app=va lue', 'a,,b', 'version>x'])('refuses %s with a 400', (selector) => {
    try {
      parseLabelSelector(selector);
      throw new Error('expected a parse error');
    } catch (err) {
      expect(err).toBeInstanceOf(KubeApiError);
      expect((err as KubeApiError).code).toBe(400);
    }
  });
});
