import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'volundr-config-'));
let n = 0;
function file(text: string): string {
  const path = join(dir, `config-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
}
function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the local embedded mode when there is no file', () => {
    const { config, sources } = loadConfig({ env: {} });
    expect(config.mode).toBe('local');
    expect(config.database).toEqual({ driver: 'pglite' });
    expect(config.server.port).toBe(8080);
    expect(sources).toEqual(['defaults (local embedded mode)']);
  });

  it('reads a valid file', () => {
    const path = file(
      'mode: production\nauth:\n  issuer: https://idp.example.com/realms/x\nserver:\n  port: 9000\ndatabase:\n  driver: postgres\n  url: postgres://db/volundr\n',
    );
    const { config } = loadConfig({ file: path, env: {} });
    expect(config.mode).toBe('production');
    expect(config.server.port).toBe(9000);
    expect(config.database).toEqual({ driver: 'postgres', url: 'postgres://db/volundr', poolSize: 10 });
  });

  it('names the line of malformed YAML', () => {
    const path = file('server:\n  port: 8080\n  host: [unclosed\n');
    const message = problemOf(() => loadConfig({ file: path, env: {} }));
    expect(message).toMatch(new RegExp(`^${path}:\\d+:\\d+: YAML syntax error`));
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names an unknown key with its file, line and path', () => {
    const path = file('server:\n  port: 8080\n  prot: 1\n');
    expect(problemOf(() => loadConfig({ file: path, env: {} }))).toBe(`${path}:3: server.prot: unknown key "prot"`);
  });

  it('names a wrong type with its file, line, path and expectation', () => {
    const path = file('mode: local\nserver:\n  port: eighty\n');
    expect(problemOf(() => loadConfig({ file: path, env: {} }))).toMatch(
      new RegExp(`^${path}:3: server\\.port: .*expected number`, 'i'),
    );
  });

  it('rejects a duplicate key', () => {
    const path = file('mode: local\nmode: production\n');
    expect(problemOf(() => loadConfig({ file: path, env: {} }))).toMatch(/:2:\d+: YAML syntax error/);
  });

  it('rejects an adapter block without a module#export', () => {
    const path = file('adapters:\n  authorization:\n    use: builtin-roles\n');
    expect(problemOf(() => loadConfig({ file: path, env: {} }))).toMatch(
      new RegExp(`^${path}:3: adapters\\.authorization\\.use: expected "<module specifier>#<ExportName>"`),
    );
  });

  it('applies VOLUNDR__SECTION__KEY overrides with scalar types', () => {
    const path = file('server:\n  port: 8080\n');
    const { config } = loadConfig({
      file: path,
      env: { VOLUNDR__SERVER__PORT: '9100', VOLUNDR__SERVER__PUBLIC_URL: 'https://volundr.example.com' },
    });
    expect(config.server.port).toBe(9100);
    expect(config.server.publicUrl).toBe('https://volundr.example.com');
  });

  it('names the variable when an override is wrong', () => {
    expect(problemOf(() => loadConfig({ env: { VOLUNDR__SERVER__PORT: 'x' } }))).toMatch(
      /^env VOLUNDR__SERVER__PORT: server\.port: .*expected number/i,
    );
  });

  it('takes DATABASE_URL as the PostgreSQL database', () => {
    const { config } = loadConfig({ env: { DATABASE_URL: 'postgres://127.0.0.1/x' } });
    expect(config.database).toMatchObject({ driver: 'postgres', url: 'postgres://127.0.0.1/x' });
  });

  it('lets flags win over file and environment', () => {
    const path = file('server:\n  port: 8080\n');
    const { config } = loadConfig({
      file: path,
      env: { VOLUNDR__SERVER__PORT: '9000' },
      flags: { 'server.port': 7000 },
    });
    expect(config.server.port).toBe(7000);
  });

  it('reports a missing file clearly', () => {
    expect(problemOf(() => loadConfig({ file: join(dir, 'nope.yaml'), env: {} }))).toMatch(
      /nope\.yaml: cannot read the configuration file \(ENOENT\)/,
    );
  });
});

describe('loadConfig in production mode', () => {
  it('requires an issuer and PostgreSQL', () => {
    const message = problemOf(() => loadConfig({ env: { VOLUNDR__MODE: 'production' } }));
    expect(message).toContain('auth.issuer: production mode needs the OIDC issuer');
    expect(message).toContain('database.driver: production mode needs PostgreSQL');
  });
});
