import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_POSTGRES_URL, testPostgresSettings } from './postgres';

describe('testPostgresSettings', () => {
  it('uses the local server unless VOLUNDR_TEST_POSTGRES_URL names another', () => {
    expect(testPostgresSettings({})).toEqual({ serverUrl: DEFAULT_TEST_POSTGRES_URL, skip: false, notice: null });
    expect(testPostgresSettings({ VOLUNDR_TEST_POSTGRES_URL: 'postgres://u:p@db:5433/admin' }).serverUrl).toBe(
      'postgres://u:p@db:5433/admin',
    );
  });

  it('refuses a server URL that is not a postgres:// URL', () => {
    expect(() => testPostgresSettings({ VOLUNDR_TEST_POSTGRES_URL: 'mysql://db' })).toThrow(
      /VOLUNDR_TEST_POSTGRES_URL must be a postgres:\/\/ URL/,
    );
  });

  it('skips PostgreSQL on request on a developer machine, with a notice', () => {
    const settings = testPostgresSettings({ VOLUNDR_SKIP_POSTGRES: '1' });
    expect(settings.skip).toBe(true);
    expect(settings.notice).toMatch(/skipping the PostgreSQL variant/);
  });

  it('never skips under CI, and says the request was ignored', () => {
    const settings = testPostgresSettings({ VOLUNDR_SKIP_POSTGRES: '1', CI: 'true' });
    expect(settings.skip).toBe(false);
    expect(settings.notice).toMatch(/ignored under CI=true/);
  });
});
