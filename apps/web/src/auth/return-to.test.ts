import { describe, expect, it } from 'vitest';
import { loginPath, safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it('keeps paths of this app with their query and hash', () => {
    expect(safeReturnTo('/sessions/abc?tab=terminal#x')).toBe('/sessions/abc?tab=terminal#x');
  });

  it.each([
    ['https://evil.example/'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
    [''],
    [undefined],
    [42],
    ['/login'],
    ['/login?returnTo=/x'],
    ['/auth/callback?code=1'],
  ])('sends %s to the dashboard', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });
});

describe('loginPath', () => {
  it('carries the current page, and nothing for the dashboard', () => {
    expect(loginPath({ pathname: '/sessions/a b', search: '?x=1', hash: '' })).toBe(
      '/login?returnTo=%2Fsessions%2Fa%2520b%3Fx%3D1',
    );
    expect(loginPath({ pathname: '/', search: '', hash: '' })).toBe('/login');
  });
});
