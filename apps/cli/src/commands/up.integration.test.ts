import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningUp, runCli, startUp } from '../test/run-cli';

describe('volundr up', () => {
  let dataDir: string;
  let port: number;
  let up: RunningUp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-up-'));
    port = await freePort();
    up = await startUp(dataDir, port);
  });
  afterAll(async () => {
    await up?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL, and /readyz answers 200 through it', async () => {
    expect(up.url).toBe(`http://127.0.0.1:${port}`);
    expect(up.output()).toMatch(/Sign in as admin with password \S{16,}/);
    const ready = await fetch(`${up.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('reports status, and refuses a second start on the same data dir', async () => {
    const status = await runCli(['status', '--data-dir', dataDir]);
    expect(status.stdout).toMatch(new RegExp(`Volundr is running at http://127.0.0.1:${port} \\(pid \\d+, ready\\)`));
    const again = await runCli(['up', '--port', String(await freePort()), '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: Volundr is already running from .* at http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)\nstop it with: volundr down/,
    );
  });

  it('says clearly when the port is taken, suggesting --port', async () => {
    const other = mkdtempSync(join(tmpdir(), 'volundr-up-'));
    const taken = await runCli(['up', '--port', String(port), '--data-dir', other]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      `error: port ${port} on 127.0.0.1 is already in use\nchoose another port: volundr up --port ${port + 1}\n`,
    );
    rmSync(other, { recursive: true, force: true });
  });

  it('prints a dev token from the embedded identity provider', async () => {
    const result = await runCli(['dev', 'token', '--data-dir', dataDir, '--user', 'admin']);
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ iss: `${up.url}/oidc`, aud: 'volundr', sub: 'admin', roles: ['volundr:admin'] });
  });

  it('refuses to migrate the embedded database while it runs, and migrates it once stopped', async () => {
    const busy = await runCli(['migrate', '--data-dir', dataDir]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/Volundr is running from .*; it migrates its embedded database at start/);
    const down = await runCli(['down', '--data-dir', dataDir]);
    expect(down.stdout).toBe('Volundr stopped\n');
    const migrated = await runCli(['migrate', '--data-dir', dataDir]);
    expect(migrated.stdout).toMatch(/^database is up to date \(\d+ migrations applied before\)\n$/);
  });
});

describe('volundr dev token', () => {
  it('refuses a data dir without an embedded identity provider', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'volundr-empty-'));
    const result = await runCli(['dev', 'token', '--data-dir', empty, '--user', 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no embedded identity provider \(dev tokens exist only in local mode\)/);
    rmSync(empty, { recursive: true, force: true });
  });
});
