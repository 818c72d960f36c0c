import { describe, expect, it } from 'vitest';
import { codeServerCommand } from './code-server-command';
import { missingCodeServerPrerequisites, type PrerequisiteProbe } from './code-server-prerequisites';
import { ideInstallHintPage } from './ide-install-hint-page';

describe('codeServerCommand', () => {
  const base = {
    binPath: '/data/tools/code-server/node_modules/.bin/code-server',
    port: 8123,
    workspaceDir: '/data/ws/s1',
    userDataDir: '/data/sessions/s1/code-server',
    extensionsDir: '/data/sessions/s1/extensions',
    nodePath: '/usr/bin/node',
  };

  it('launches loopback-only, without auth, telemetry, update checks or trust prompts', () => {
    const command = codeServerCommand({ ...base, env: { PATH: '/usr/bin', HOME: '/data/home/u1' } });
    expect(command.command).toBe('/usr/bin/node');
    expect(command.args).toEqual([
      base.binPath,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:8123',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      base.userDataDir,
      '--extensions-dir',
      base.extensionsDir,
      base.workspaceDir,
    ]);
    expect(command.healthPath).toBe('/healthz');
  });

  it('keeps its state in per-session XDG dirs and drops variables that would redirect it', () => {
    const { env } = codeServerCommand({
      ...base,
      env: { PATH: '/usr/bin', PORT: '9999', VSCODE_IPC_HOOK_CLI: '/tmp/x.sock', PASSWORD: 'p', UNSET: undefined },
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      XDG_CONFIG_HOME: '/data/sessions/s1/code-server/xdg/config',
      XDG_DATA_HOME: '/data/sessions/s1/code-server/xdg/data',
      XDG_CACHE_HOME: '/data/sessions/s1/code-server/xdg/cache',
      XDG_STATE_HOME: '/data/sessions/s1/code-server/xdg/state',
    });
  });

  it('refuses a port out of range', () => {
    expect(() => codeServerCommand({ ...base, port: 0, env: {} })).toThrow(/port/);
  });
});

describe('missingCodeServerPrerequisites', () => {
  const probe = (files: string[], overrides: Partial<PrerequisiteProbe> = {}): PrerequisiteProbe => ({
    env: { PATH: '/usr/bin' },
    nodeVersion: '20.20.2',
    fileExists: (path) => files.includes(path),
    ...overrides,
  });
  const complete = ['npm', 'tar', 'rg', 'make', 'g++', 'python3'].map((tool) => `/usr/bin/${tool}`);

  it('finds nothing missing on a prepared machine', () => {
    expect(missingCodeServerPrerequisites(probe([...complete, '/usr/include/gssapi/gssapi.h']))).toEqual([]);
  });

  it('accepts GSSAPI headers unpacked into a CPATH folder', () => {
    const files = [...complete, '/opt/krb/include/gssapi/gssapi.h'];
    expect(
      missingCodeServerPrerequisites(probe(files, { env: { PATH: '/usr/bin', CPATH: '/opt/krb/include' } })),
    ).toEqual([]);
  });

  it('names each missing piece with the exact command that installs it', () => {
    const missing = missingCodeServerPrerequisites(probe(['/usr/bin/npm', '/usr/bin/tar'], { nodeVersion: '22.1.0' }));
    expect(missing.map((m) => m.fix)).toEqual([
      'run volundr with Node 20.x',
      'apt-get install -y ripgrep',
      'apt-get install -y build-essential python3',
      'apt-get install -y libkrb5-dev',
    ]);
    expect(missing[0]?.what).toContain('22.1.0');
  });
});

describe('ideInstallHintPage', () => {
  it('tells the person the command that installs the IDE', () => {
    const page = ideInstallHintPage();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('volundr ide install');
    expect(page).toContain('libkrb5-dev');
  });
});
