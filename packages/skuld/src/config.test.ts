import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const env = {
  SKULD_SESSION_ID: 's1',
  SKULD_OWNER_ID: 'u1',
  SKULD_TENANT_ID: 't1',
  SKULD_WORKSPACE_DIR: '/work/ws',
  SKULD_OIDC_ISSUER: 'https://idp.example/realms/v',
  SKULD_OIDC_AUDIENCE: 'volundr',
  SKULD_TRANSPORT: 'claude-sdk',
  SKULD_MODEL: 'sonnet',
};

describe('configuration', () => {
  it('reads SKULD_* variables with defaults', () => {
    const config = loadConfig(env);
    expect(config).toMatchObject({
      sessionId: 's1',
      stateDir: '/work/ws/.volundr',
      host: '127.0.0.1',
      port: 8081,
      api: null,
      transport: 'claude-sdk',
      claudeBin: 'claude',
      reportRetry: { minMs: 500, maxMs: 30_000 },
    });
  });

  it('lets flags override the environment', () => {
    const config = loadConfig(env, [
      '--port',
      '0',
      '--state-dir=/var/skuld',
      '--api-url',
      'http://api:8080',
      '--report-token',
      'tok',
    ]);
    expect(config).toMatchObject({ port: 0, stateDir: '/var/skuld', api: { url: 'http://api:8080', token: 'tok' } });
  });

  it('names every bad or missing variable', () => {
    const { SKULD_SESSION_ID: _, ...rest } = env;
    const attempt = () =>
      loadConfig({ ...rest, SKULD_PORT: '70000', SKULD_TRANSPORT: 'gpt', SKULD_API_URL: 'http://api' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('SKULD_SESSION_ID (--session-id): is required');
    expect(message).toContain('SKULD_PORT (--port)');
    expect(message).toContain('SKULD_TRANSPORT (--transport)');
  });

  it('requires a report token with an API URL, and rejects unknown flags', () => {
    expect(() => loadConfig({ ...env, SKULD_API_URL: 'http://api' })).toThrow(/SKULD_REPORT_TOKEN/);
    expect(() => loadConfig(env, ['--nope', 'x'])).toThrow(/unknown flag --nope/);
    expect(() => loadConfig(env, ['--port'])).toThrow(/needs a value/);
  });
});
