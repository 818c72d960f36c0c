/**
 * The acceptance test of credentials: unique canary values are stored as credentials, then a
 * full session runs on the local runtime (the API in this process with its default local pod
 * manager: real broker and terminal processes) and clones a private repository over git's own
 * smart-HTTP backend with one of them. The canaries must appear only inside the session's
 * injected files: never in a database dump, the API's log, the session's logs, the events, an
 * API answer, any process's argv, the environment of the session's processes, or the remote URL;
 * and after the stop nowhere in the data dir (the encrypted store holds only ciphertext).
 *
 * Then an OAuth integration token expires during a long session: the API refreshes it, rewrites
 * the session's credential file, and git in the running session pushes with the new token, the
 * old one being refused by the server: no restart.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import type { LocalPodManager } from '@volundr/adapter-local/local-pod-manager';
import { freePort } from '@volundr/testkit/free-port';
import { type GitHttpServer, startGitHttpServer } from '@volundr/testkit/git-http-server';
import { type GitHubServer, startGitHubServer } from '@volundr/testkit/github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../start-api';

const run = promisify(execFile);
const unique = (what: string) => `${what}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const CANARY_GIT = unique('canarygit');
const CANARY_API = unique('canaryapi');
const CANARY_SSH = unique('canaryssh');
const CANARIES = [CANARY_GIT, CANARY_API, CANARY_SSH];
const CLIENT_SECRET_ENV = 'VOLUNDR_CANARY_GH_SECRET';

/** Every file under `dir` whose bytes contain one of the canaries. */
function filesContaining(dir: string, needles: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    let entries: string[];
    try {
      entries = readdirSync(path);
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(path, entry);
      let info: ReturnType<typeof statSync>;
      try {
        info = statSync(full);
      } catch {
        continue;
      }
      if (info.isDirectory()) walk(full);
      else if (info.isFile()) {
        const bytes = readFileSync(full);
        if (needles.some((n) => bytes.includes(n))) found.push(full);
      }
    }
  };
  walk(dir);
  return found;
}

/** Samples every process's argv until stopped: the canaries must never be in one. */
function watchArgv(): { stop(): string[] } {
  const seen: string[] = [];
  let stopped = false;
  const sample = () => {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (CANARIES.some((c) => argv.includes(c)) || /canary(git|api|ssh)-/.test(argv))
          seen.push(`${pid}: ${argv.replaceAll('\0', ' ')}`);
      } catch {}
    }
    if (!stopped) setTimeout(sample, 5);
  };
  sample();
  return {
    stop() {
      stopped = true;
      return seen;
    },
  };
}

function environOf(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

describe('credentials reach only the session’s injected files (local runtime)', () => {
  let box: GitHttpServer;
  let github: GitHubServer;
  let api: StartedApi;
  let dataDir: string;
  let base: string;
  let alice: string;
  const apiLog: string[] = [];
  const answers: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  const waitFor = async <T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const untilState = (id: string, state: string) =>
    waitFor(`session ${id} ${state}`, async () => {
      const { body } = await call('GET', `/sessions/${id}`);
      if (body.state === 'failed' && state !== 'failed') throw new Error(`session failed: ${String(body.stateReason)}`);
      return body.state === state ? body : null;
    });

  beforeAll(async () => {
    box = await startGitHttpServer({ auth: { username: 'canary-user', password: CANARY_GIT } });
    github = await startGitHubServer({
      oauthApp: { clientId: 'volundr-local', clientSecret: 'gh-local-secret', login: 'alice', accessTokenSeconds: 30 },
    });
    await github.createRepo('acme/long', { 'README.md': '# long\n' }, { private: true, members: ['alice'] });
    process.env[CLIENT_SECRET_ENV] = 'gh-local-secret';
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-canary-'));
    const port = await freePort();
    const configFile = join(dataDir, 'volundr.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        logging: { level: 'debug' },
        reconciler: { pollIntervalMs: 100 },
        sessions: { ide: false },
        // Tokens of 30 s refreshed 28 s early: a refresh every two seconds or so.
        integrations: { refreshIntervalMs: 1_000, refreshAheadMs: 28_000 },
        adapters: {
          git: {
            use: '@volundr/adapter-git/git-registry#gitRegistry',
            providers: [
              { name: 'box', kind: 'git', hosts: [new URL(box.url).host], allowHttp: true },
              {
                name: 'github',
                kind: 'github',
                webUrl: github.url,
                apiUrl: github.apiUrl,
                allowHttp: true,
                oauth: { clientId: 'volundr-local', clientSecretEnv: CLIENT_SECRET_ENV },
              },
            ],
          },
        },
      }),
    );
    api = await startApi({
      file: configFile,
      env: {},
      flags: { dataDir, 'server.port': port },
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          apiLog.push(String(chunk));
          done();
        },
      }),
    });
    base = `http://127.0.0.1:${api.port}`;
    alice = await mintDevToken({ dataDir, user: 'alice', issuer: api.issuer! });
  });

  afterAll(async () => {
    // Local sessions outlive the API by design: stop whatever a failed test left running.
    await (api?.services.sessionRuntime.podManager as Partial<LocalPodManager> | undefined)?.stopOrphans?.([]);
    await api?.stop();
    await box?.close();
    await github?.close();
    delete process.env[CLIENT_SECRET_ENV];
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('clones a private repository with a stored credential; canaries only in the injected files', async () => {
    const repo = await box.createRepo('team/app', { 'README.md': '# app\n' });
    const host = new URL(box.url).host;
    const created = [
      await call('POST', '/credentials', {
        name: 'box-git',
        type: 'git_credential',
        data: { username: 'canary-user', password: CANARY_GIT },
        metadata: { host, protocol: 'http' },
      }),
      await call('POST', '/credentials', {
        name: 'anthropic',
        type: 'api_key',
        data: { ANTHROPIC_API_KEY: CANARY_API },
      }),
      await call('POST', '/credentials', {
        name: 'deploy-key',
        type: 'ssh_key',
        data: {
          private_key: `-----BEGIN OPENSSH PRIVATE KEY-----\n${CANARY_SSH}\n-----END OPENSSH PRIVATE KEY-----\n`,
        },
      }),
    ];
    expect(created.map((c) => c.status)).toEqual([201, 201, 201]);
    expect((await call('GET', `/git/branches?repo=${encodeURIComponent(repo)}`)).body).toMatchObject({
      defaultBranch: 'main',
    });

    const argv = watchArgv();
    const session = await call('POST', '/sessions', {
      name: 'canary',
      model: 'claude-sonnet-4-5',
      source: { type: 'git', repo, branch: 'main' },
      credentialNames: ['anthropic', 'deploy-key', 'box-git'],
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const id = session.body.id as string;
    await untilState(id, 'running');
    const workspace = join(dataDir, 'sessions', id, 'workspace');
    const injected = join(dataDir, 'run', 'credentials', id);

    // The clone worked with the credential, which git got from a helper, not from the URL.
    expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('# app\n');
    expect(box.authorizations).toContain(`Basic ${Buffer.from(`canary-user:${CANARY_GIT}`).toString('base64')}`);
    const remote = execFileSync('git', ['-C', workspace, 'remote', '-v']).toString();
    expect(remote).toContain(`${box.url}/team/app.git`);
    expect(remote).not.toContain('@');
    for (const c of CANARIES) expect(remote).not.toContain(c);

    // The injected files: 0600 in a 0700 directory, with the values.
    expect((statSync(injected).mode & 0o777).toString(8)).toBe('700');
    expect(readFileSync(join(injected, 'api-keys.env'), 'utf8')).toBe(`ANTHROPIC_API_KEY='${CANARY_API}'\n`);
    expect(readFileSync(join(injected, 'anthropic'), 'utf8')).toContain(CANARY_API);
    expect(readFileSync(join(injected, 'ssh', 'deploy-key'), 'utf8')).toContain(CANARY_SSH);
    expect(readFileSync(join(injected, 'git-credentials'), 'utf8')).toBe(`http://canary-user:${CANARY_GIT}@${host}\n`);
    for (const file of ['api-keys.env', 'anthropic', 'ssh/deploy-key', 'git-credentials'])
      expect((statSync(join(injected, file)).mode & 0o777).toString(8)).toBe('600');
    // While the session runs, the only plaintext copies are the injected files.
    expect(filesContaining(dataDir, CANARIES).filter((f) => !f.startsWith(`${injected}/`))).toEqual([]);

    // The session's processes see paths, never values; git in the session fetches through the helper.
    const route = JSON.parse(readFileSync(join(dataDir, 'run', 'sessions', `${id}.json`), 'utf8')) as {
      services: { name: string; pid: number }[];
    };
    const broker = route.services.find((s) => s.name === 'skuld')!;
    const env = environOf(broker.pid);
    expect(env.VOLUNDR_CREDENTIALS_DIR).toBe(injected);
    expect(env.VOLUNDR_API_KEYS_ENV).toBe(join(injected, 'api-keys.env'));
    expect(env.GIT_SSH_COMMAND).toContain(join(injected, 'ssh', 'deploy-key'));
    for (const pid of route.services.map((s) => s.pid)) {
      const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
      for (const c of CANARIES) expect(raw).not.toContain(c);
    }
    const before = box.authorizations.length;
    await run('git', ['-C', workspace, 'fetch', 'origin'], { env });
    expect(box.authorizations.length).toBeGreaterThan(before);

    await call('POST', `/sessions/${id}/stop`);
    await untilState(id, 'stopped');
    expect(argv.stop()).toEqual([]);
    expect(() => statSync(injected)).toThrow();

    // Nowhere else: every table of the database, the API's log, the session's logs and events,
    // what the API answered, and (after the stop) any file of the data dir.
    const tables = await api.services.database.execute<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    let dump = '';
    for (const { name } of tables) {
      const rows = await api.services.database.execute<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      dump += rows.map((r) => r.row).join('\n');
    }
    expect(tables.length).toBeGreaterThan(10);
    expect(dump).toContain('box-git');
    // The session's events are rows of session_events (in the dump) and what the stream replays.
    const stream = await fetch(`${base}/api/v1/sessions/stream?sessionId=${id}&lastEventId=0`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    const reader = stream.body!.getReader();
    let replay = '';
    while (!replay.includes('"to":"stopped"')) replay += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(dump).toContain('session_created');
    const everything = [dump, apiLog.join(''), answers.join('\n'), replay].join('\n');
    for (const c of CANARIES) expect(everything).not.toContain(c);
    expect(apiLog.join('')).toContain('"msg":"API ready"');
    expect(readdirSync(join(dataDir, 'sessions', id, 'logs')).length).toBeGreaterThan(0);
    expect(filesContaining(dataDir, CANARIES)).toEqual([]);
  });

  it('refreshes an expired OAuth token while the session runs: git keeps working without a restart', async () => {
    const started = await call('POST', '/integrations/oauth/github/authorize');
    const back = new URL((await fetch(started.body.url as string, { redirect: 'manual' })).headers.get('location')!);
    const connected = await call('POST', '/integrations', {
      method: 'oauth',
      provider: 'github',
      code: back.searchParams.get('code'),
      state: back.searchParams.get('state'),
    });
    expect(connected.status).toBe(201);

    const session = await call('POST', '/sessions', {
      name: 'long-one',
      model: 'claude-sonnet-4-5',
      source: { type: 'git', repo: `${github.url}/acme/long`, branch: 'volundr/long', baseBranch: 'main' },
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const id = session.body.id as string;
    const running = await untilState(id, 'running');
    const workspace = join(dataDir, 'sessions', id, 'workspace');
    const credentials = join(dataDir, 'run', 'credentials', id, 'git-credentials');
    const tokenIn = () => /^http:\/\/x-access-token:([^@]+)@/.exec(readFileSync(credentials, 'utf8'))?.[1] ?? null;
    const first = tokenIn()!;
    expect(first).toMatch(/^oat_/);
    const route = JSON.parse(readFileSync(join(dataDir, 'run', 'sessions', `${id}.json`), 'utf8')) as {
      services: { name: string; pid: number }[];
    };
    const broker = route.services.find((s) => s.name === 'skuld')!;

    // The refresh job replaces the token in the session's file; the old one then stops working.
    const second = await waitFor('the token to be refreshed', async () => {
      const now = tokenIn();
      return now && now !== first ? now : null;
    });
    github.expireAccessToken(first);
    const refusedOld = await run(
      'git',
      [
        '-c',
        `credential.helper=!f() { echo username=x-access-token; echo password=${first}; }; f`,
        'ls-remote',
        `${github.url}/acme/long.git`,
      ],
      { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
    ).then(
      () => 'accepted',
      (e: { stderr: string }) => e.stderr,
    );
    expect(refusedOld).toMatch(/401|Authentication failed|could not read/i);
    expect(second).not.toBe(first);

    const env = environOf(broker.pid);
    const git = (...args: string[]) =>
      run('git', ['-C', workspace, '-c', 'user.name=Volundr', '-c', 'user.email=v@example.test', ...args], { env });
    await git('commit', '--allow-empty', '-m', 'work after the refresh');
    await git('push', 'origin', 'HEAD:refs/heads/volundr/long');
    const branches = await call('GET', `/git/branches?repo=${encodeURIComponent(`${github.url}/acme/long`)}`);
    expect((branches.body.branches as { name: string }[]).map((b) => b.name)).toContain('volundr/long');

    const now = await call('GET', `/sessions/${id}`);
    expect(now.body.state).toBe('running');
    expect((now.body as { attempt?: unknown }).attempt ?? null).toEqual(
      (running as { attempt?: unknown }).attempt ?? null,
    );
    expect(environOf(broker.pid).VOLUNDR_SESSION_ID).toBe(id);
    await call('POST', `/sessions/${id}/stop`);
    await untilState(id, 'stopped');
    expect(answers.join('\n')).not.toContain(first);
    expect(answers.join('\n')).not.toContain(second);
    expect(apiLog.join('')).not.toContain(second);
  });
});
