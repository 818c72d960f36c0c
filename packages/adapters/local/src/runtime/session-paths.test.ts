import { isDomainError } from '@volundr/core/errors';
import { describe, expect, it } from 'vitest';
import { homeDir, insideDir, safePathSegment, sessionPaths } from './session-paths';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? `${error.code}: ${error.message}` : `other: ${String(error)}`;
  }
  return 'accepted';
};

describe('safePathSegment', () => {
  it.each([
    ['', 'is empty'],
    ['.', 'is "."'],
    ['..', 'is ".."'],
    ['/etc', 'is an absolute path'],
    ['a/../b', 'contains "/"'],
    ['..\\x', 'contains "/" or "\\"'],
    ['bad\nid', 'contains control characters'],
    ['x'.repeat(201), 'longer than 200'],
  ])('refuses %j (%s)', (value, why) => {
    const result = refusal(() => safePathSegment('session id', value));
    expect(result).toMatch(/^BAD_REQUEST: The session id /);
    expect(result).toContain(why);
    expect(result).toContain('one plain path segment');
  });

  it.each(['sess-1', '0b7c2c1e-9f2a-4c55-a1a2-3e6f0c1d2b3a', 'auth0|1234', 'ada@example.test', '..hidden'])(
    'accepts %j',
    (value) => {
      expect(safePathSegment('user id', value)).toBe(value);
    },
  );
});

describe('paths', () => {
  it('keeps every session and home path inside the data dir', () => {
    const p = sessionPaths('/data', 'abc');
    expect(p.workspaceDir).toBe('/data/sessions/abc/workspace');
    expect(p.routeFile).toBe('/data/run/sessions/abc.json');
    expect(p.terminalCredentialFile).toBe('/data/run/secrets/abc/terminal-credential');
    expect(homeDir('/data', 'owner-1')).toBe('/data/homes/owner-1');
    // Subjects that are no safe file name get a hashed directory (as the identity wiring provisions it).
    expect(homeDir('/data', '../../root')).toMatch(/^\/data\/homes\/u-[0-9a-f]{32}$/);
    expect(homeDir('/data', 'auth0|42')).toMatch(/^\/data\/homes\/u-[0-9a-f]{32}$/);
    expect(refusal(() => homeDir('/data', ''))).toMatch(/^BAD_REQUEST: The user id is empty/);
  });

  it('refuses a child path that climbs out of its base', () => {
    expect(insideDir('/w', 'libs/a', 'path')).toBe('/w/libs/a');
    expect(refusal(() => insideDir('/w', '../x', 'repository path'))).toMatch(
      /^BAD_REQUEST: The repository path "..\/x" points outside \/w/,
    );
    expect(refusal(() => insideDir('/w', '/abs', 'path'))).toMatch(/^BAD_REQUEST/);
  });
});
