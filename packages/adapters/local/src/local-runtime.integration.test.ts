/**
 * The local runtime end to end, with real processes: the bundled Skuld broker driving the real
 * Claude Code CLI against the fake Messages API, the bundled terminal server, code-server from
 * the test cache, a repository cloned over git's own smart-HTTP backend with a credential, and
 * the local gateway in front. One shared session carries most assertions: it is started by a
 * separate "API" process that is then SIGKILLed, so everything after proves re-adoption.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createBuiltinRolesAuthorization } from '@volundr/adapter-authz/builtin-roles';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import type { ChatEvent } from '@volundr/contracts/chat';
import type { SessionSpec } from '@volundr/contracts/session-spec';
import { isDomainError } from '@volundr/core/errors';
import { isPodReady, type PodHandle, type PodStatus } from '@volundr/core/sessions/ports/pod-manager';
import { TtydClient, UpgradeRefusedError } from '@volundr/terminal/test/ttyd-client';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { type GitHttpServer, startGitHttpServer } from '@volundr/testkit/git-http-server';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// By path, not as a dependency: @volundr/sdk's dev dependency on the API (which depends on this
// package) would close a cycle in the workspace graph.
import { createChatClient, type WebSocketConstructor } from '../../../sdk/src/chat-client';
import { createSessionGateway } from './gateway/session-gateway';
import { findCodeServer } from './ide/code-server-find';
import { installCodeServer } from './ide/code-server-install';
import { createLocalPodManager, type LocalPodManager, type LocalPodManagerOptions } from './local-pod-manager';
import { descendants, isProcessAlive } from './runtime/processes';
import { readSessionRoute } from './runtime/route-file';
import { aLocalSpec } from './test/local-spec';

const AUDIENCE = 'volundr-local-test';
const OWNER = { sub: 'owner-1', name: 'Ada Owner', tenant: 'tenant-1', roles: ['volundr:developer'] };
const STRANGER = { sub: 'user-2', name: 'Bob Other', tenant: 'tenant-1', roles: ['volundr:developer'] };
const VIEWER = { sub: 'user-3', name: 'Vic Viewer', tenant: 'tenant-1', roles: ['volundr:viewer'] };
const OUTSIDER = { sub: 'owner-1', name: 'Same id, other tenant', tenant: 'tenant-2', roles: ['volundr:admin'] };
const GIT_SECRET = 'git-secret-7f3a91';
const SESSION = 'sess-shared';
const codeServerCache = join(homedir(), '.cache', 'volundr-test', 'code-server');

let issuer: TestIssuer;
let fake: FakeAnthropic;
let git: GitHttpServer;
let repoUrl: string;
let dataDir: string;
let options: LocalPodManagerOptions;
let manager: LocalPodManager;
let frontDoor: Server;
let front: string;
let hasIde: boolean;
let handle: PodHandle;
let workspace: string;
const progress: { step: string; message: string }[] = [];

const token = (claims: Record<string, unknown> = OWNER) => issuer.sign(claims);
const bearer = async (claims?: Record<string, unknown>) => ({ Authorization: `Bearer ${await token(claims)}` });

/** Resolves with the first status `done` accepts, pushed by watch (status is checked once first). */
function waitForStatus(
  pods: LocalPodManager,
  h: PodHandle,
  done: (s: PodStatus) => boolean,
  timeoutMs = 60_000,
): Promise<PodStatus> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      stop();
      void pods.status(h).then((s) => reject(new Error(`status not reached in time; last: ${JSON.stringify(s)}`)));
    }, timeoutMs);
    const check = (s: PodStatus) => {
      if (!done(s)) return;
      clearTimeout(timer);
      stop();
      resolvePromise(s);
    };
    const stop = pods.watch([h], (_, s) => check(s));
    void pods.status(h).then(check);
  });
}

const settled = (s: PodStatus) => isPodReady(s) || s.phase === 'failed';

/** "The API": a separate process that starts the session and is SIGKILLed afterwards. */
async function startInApiProcess(spec: SessionSpec, attemptId: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'test', 'start-session-process.ts')],
    {
      cwd: resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        LOCAL_RUNTIME_TEST_INPUT: JSON.stringify({
          options,
          spec,
          attempt: { id: attemptId, sessionId: spec.session.id, number: 1 },
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const result = await new Promise<{ handle: PodHandle; status: PodStatus }>((resolvePromise, reject) => {
    let started: PodHandle | null = null;
    const timer = setTimeout(() => reject(new Error(`the API process did not report in time: ${stderr}`)), 90_000);
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}): ${stderr}`)));
    lines.on('line', (line) => {
      const event = JSON.parse(line);
      if (event.event === 'progress') progress.push({ step: event.step, message: event.message });
      if (event.event === 'started') started = event.handle;
      if (event.event === 'status' && started) {
        clearTimeout(timer);
        resolvePromise({ handle: started, status: event.status });
      }
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return result;
}

function chatOver(url: string, jwt: string) {
  return createChatClient({
    url,
    token: jwt,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { maxAttempts: 1 },
  });
}

beforeAll(async () => {
  // The integration project's global setup builds the Skuld and terminal bundles (the adapter's
  // default entries); code-server is installed into the shared test cache on first use.
  await installCodeServer({ dataDir: codeServerCache }).catch(() => null);
  hasIde = findCodeServer(codeServerCache) !== null;
  issuer = await startTestIssuer({ audience: AUDIENCE });
  fake = await startFakeAnthropic();
  git = await startGitHttpServer({ auth: { username: 'git-user', password: GIT_SECRET } });
  repoUrl = await git.createRepo('demo', { 'README.md': 'demo repository\n' });
  dataDir = await mkdtemp(join(tmpdir(), 'volundr-local-'));
  await mkdir(join(dataDir, 'secrets', 'git-demo'), { recursive: true });
  await writeFile(join(dataDir, 'secrets', 'git-demo', 'token'), `git-user:${GIT_SECRET}\n`, { mode: 0o600 });

  options = {
    dataDir,
    maxConcurrentSessions: 2,
    codeServerDataDir: codeServerCache,
    oidc: { issuer: issuer.issuer, audience: AUDIENCE },
    stopGraceMs: 5_000,
    logLevel: 'warn',
  };
  // The model API variables of "the user's shell" reach the CLI through the passthrough list.
  process.env.ANTHROPIC_BASE_URL = fake.url;
  process.env.ANTHROPIC_API_KEY = 'test-key';
  process.env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';

  const gateway = createSessionGateway({
    dataDir,
    identity: createOidcIdentity({ issuer: issuer.issuer, audience: AUDIENCE }),
    authorization: createBuiltinRolesAuthorization(),
  });
  frontDoor = createServer((req, res) => {
    if (!gateway.handleRequest(req, res)) res.writeHead(404).end();
  });
  frontDoor.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => frontDoor.listen(0, '127.0.0.1', r));
  front = `http://127.0.0.1:${(frontDoor.address() as AddressInfo).port}`;

  const spec = aLocalSpec({
    dataDir,
    id: SESSION,
    repo: { url: repoUrl, credential: { name: 'git-demo', key: 'token' } },
    setupScripts: ['echo "setup ran in $(pwd)" > setup.txt', 'echo installing dependencies'],
    ide: true,
  });
  const started = await startInApiProcess(spec, `${SESSION}-1`);
  expect(started.status.message ?? '').toBe('');
  expect(isPodReady(started.status)).toBe(true);
  handle = started.handle;
  workspace = join(dataDir, 'sessions', SESSION, 'workspace');
  manager = await createLocalPodManager(options);
}, 240_000);

afterAll(async () => {
  if (manager) {
    await manager.stopOrphans([]);
    manager.close();
  }
  await new Promise((r) => frontDoor?.close(r));
  await git?.close();
  await fake?.close();
  await issuer?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('local runtime', () => {
  it('provisions from git over smart HTTP (credential via the helper), runs setup, starts every service', async () => {
    expect(await readFile(join(workspace, 'README.md'), 'utf8')).toBe('demo repository\n');
    expect(await readFile(join(workspace, 'setup.txt'), 'utf8')).toBe(`setup ran in ${workspace}\n`);
    const expected = `Basic ${Buffer.from(`git-user:${GIT_SECRET}`).toString('base64')}`;
    expect(git.authorizations).toContain(expected);
    // Progress went out for each phase: clone, setup output, each service.
    expect(progress.some((p) => p.step === 'clone' && p.message.includes(repoUrl))).toBe(true);
    expect(progress.some((p) => p.step === 'setup 2/2')).toBe(true);
    expect(progress.filter((p) => p.message.endsWith(' is ready')).length).toBe(hasIde ? 3 : 2);

    const route = await readSessionRoute(dataDir, SESSION);
    expect(route?.phase).toBe('running');
    expect(statSync(join(dataDir, 'run', 'sessions', `${SESSION}.json`)).mode & 0o777).toBe(0o600);
    expect(route?.services.map((s) => s.name).sort()).toEqual(
      hasIde ? ['ide', 'skuld', 'terminal'] : ['skuld', 'terminal'],
    );
    // The git secret is nowhere on disk any more, nor in any service's argv.
    expect(existsSync(join(dataDir, 'run', 'secrets', SESSION, 'git-credential'))).toBe(false);
    for (const s of route?.services ?? []) {
      expect(await readFile(`/proc/${s.pid}/cmdline`, 'utf8')).not.toContain(GIT_SECRET);
    }
    expect(handle.data).toMatchObject({ routeFile: join(dataDir, 'run', 'sessions', `${SESSION}.json`) });
  });

  it('re-adopts the running session after "the API" was SIGKILLed', async () => {
    const summary = manager.list().find((s) => s.sessionId === SESSION);
    expect(summary?.phase).toBe('running');
    for (const s of summary?.services ?? []) expect(isProcessAlive(s.pid!)).toBe(true);
    expect(isPodReady(await manager.status(handle))).toBe(true);
    expect(await manager.find({ id: handle.attemptId, sessionId: SESSION, number: 1 })).toMatchObject({
      attemptId: handle.attemptId,
    });
    expect(manager.listOrphans([SESSION])).toEqual([]);
    expect(manager.listOrphans([]).map((o) => o.sessionId)).toEqual([SESSION]);
  });

  it('runs pwd and echo in the terminal through the gateway', async () => {
    const term = await TtydClient.connect({ url: `${front}/s/${SESSION}/terminal/`, headers: await bearer() });
    try {
      expect(await term.run('pwd')).toBe(workspace);
      expect(await term.run('echo hello-from-local')).toBe('hello-from-local');
      // The terminal's own credential never reaches the shell.
      expect(await term.run('printenv VOLUNDR_TERMINAL_CREDENTIAL || echo unset')).toBe('unset');
    } finally {
      await term.close();
    }
  });

  it('chats through the gateway with the real Claude Code CLI, whose file the terminal then shows', async () => {
    const file = join(workspace, 'from-claude.txt');
    fake.setScript([
      { text: 'Writing it.', toolUse: { name: 'Write', input: { file_path: file, content: 'written by claude\n' } } },
      { text: 'Done.' },
    ]);
    const client = chatOver(`${front.replace('http', 'ws')}/s/${SESSION}/ws/chat`, await token());
    const events: ChatEvent[] = [];
    try {
      const completed = new Promise<void>((done) => {
        client.onEvent((event) => {
          events.push(event);
          if (event.type === 'permission_request') client.answerPermission(event.requestId, true);
          if (event.type === 'turn_completed') done();
        });
      });
      await client.opened();
      client.sendMessage('write the file');
      await completed;
    } finally {
      client.close();
    }
    expect(events.some((e) => e.type === 'permission_request')).toBe(true);
    const term = await TtydClient.connect({ url: `${front}/s/${SESSION}/terminal/`, headers: await bearer() });
    try {
      expect(await term.run('cat from-claude.txt')).toBe('written by claude');
    } finally {
      await term.close();
    }
  });

  it('serves the IDE through the gateway, with the session cookie for iframes', async (ctx) => {
    if (!hasIde) ctx.skip();
    const direct = await fetch(`${front}/s/${SESSION}/ide/healthz`, { headers: await bearer() });
    expect(direct.status).toBe(200);
    expect(await direct.json()).toMatchObject({ status: expect.any(String) });

    // An iframe: the token comes as a parameter, is moved into the cookie, and the page reloads.
    const jwt = await token();
    const first = await fetch(`${front}/s/${SESSION}/ide/?access_token=${jwt}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/s/${SESSION}/ide/`);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^volundr_session=[^;]+; Path=/s/${SESSION}/; HttpOnly; SameSite=Strict; Max-Age=\\d+`),
    );
    const headers = { cookie: cookie.split(';')[0]! };
    // code-server redirects to `./?folder=<workspace>` (relative, so it stays under the prefix).
    const root = await fetch(`${front}/s/${SESSION}/ide/`, { headers, redirect: 'manual' });
    expect(root.status).toBe(302);
    const workbench = await fetch(new URL(root.headers.get('location')!, `${front}/s/${SESSION}/ide/`), { headers });
    expect(workbench.status).toBe(200);
    expect(new URL(workbench.url).pathname).toBe(`/s/${SESSION}/ide/`);
    expect(await workbench.text()).toContain('workbench');
    const bare = await fetch(`${front}/s/${SESSION}/ide`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe(`/s/${SESSION}/ide/`);
  });

  it('refuses without a token (401), viewers (403), other users, tenants and unknown sessions (404)', async () => {
    const status = async (path: string, headers: Record<string, string> = {}) =>
      (await fetch(`${front}${path}`, { headers, redirect: 'manual' })).status;
    expect(await status(`/s/${SESSION}/terminal/`)).toBe(401);
    expect(await status(`/s/${SESSION}/terminal/`, { Authorization: 'Bearer not-a-jwt' })).toBe(401);
    // A viewer may see the session but not work in it; another developer may not even see it.
    expect(await status(`/s/${SESSION}/terminal/`, await bearer(VIEWER))).toBe(403);
    expect(await status(`/s/${SESSION}/ide/`, await bearer(VIEWER))).toBe(403);
    expect(await status(`/s/${SESSION}/terminal/`, await bearer(STRANGER))).toBe(404);
    expect(await status(`/s/${SESSION}/terminal/`, await bearer(OUTSIDER))).toBe(404);
    expect(await status('/s/no-such-session/terminal/', await bearer())).toBe(404);
    expect(await status('/s/..%2Fetc/terminal/', await bearer())).toBe(404);
    expect(await status(`/s/${SESSION}/elsewhere`, await bearer())).toBe(404);

    await expect(
      TtydClient.connect({ url: `${front}/s/${SESSION}/terminal/`, headers: await bearer(VIEWER), authToken: 'x' }),
    ).rejects.toBeInstanceOf(UpgradeRefusedError);
    // Chat refusals carry the chat protocol's close codes, as the broker's own do.
    const refused = chatOver(`${front.replace('http', 'ws')}/s/${SESSION}/ws/chat`, await token(VIEWER));
    const closed = new Promise((done) => refused.onStatus((s) => s.state === 'closed' && done(s)));
    expect(await closed).toMatchObject({ state: 'closed', closeCode: 4403, reason: 'forbidden' });
  });

  it('refuses session ids that would escape the data dir', async () => {
    const base = aLocalSpec({ dataDir, id: 'escape-check', ide: false });
    for (const id of ['../evil', '/etc', 'a/b', '..']) {
      const spec = { ...base, session: { ...base.session, id } };
      const error = await manager.start(spec, { id: `${id}-1`, sessionId: id, number: 1 }).catch((e) => e);
      expect(isDomainError(error) && error.code).toBe('BAD_REQUEST');
      expect((error as Error).message).toMatch(/must be one plain path segment/);
    }
    expect(existsSync(join(dataDir, 'evil'))).toBe(false);
  });

  it('fails a start whose repository is unreachable, naming the repository', async () => {
    const unreachable = 'http://127.0.0.1:9/nowhere.git';
    const spec = aLocalSpec({ dataDir, id: 'sess-unreachable', repo: { url: unreachable }, ide: false });
    const h = await manager.start(spec, { id: 'sess-unreachable-1', sessionId: 'sess-unreachable', number: 1 });
    const status = await waitForStatus(manager, h, settled);
    expect(status.phase).toBe('failed');
    expect(status.message).toContain(`Could not clone ${unreachable}`);
    await manager.delete(h, { removeWorkspace: true });
    expect(existsSync(join(dataDir, 'sessions', 'sess-unreachable'))).toBe(false);
  });

  it('caps concurrent sessions, and stops orphans that have no session row', async () => {
    const blank = aLocalSpec({ dataDir, id: 'sess-orphan', ide: false });
    const h = await manager.start(blank, { id: 'sess-orphan-1', sessionId: 'sess-orphan', number: 1 });
    expect(isPodReady(await waitForStatus(manager, h, settled))).toBe(true);
    const third = aLocalSpec({ dataDir, id: 'sess-third', ide: false });
    const error = await manager
      .start(third, { id: 'sess-third-1', sessionId: 'sess-third', number: 1 })
      .catch((e) => e);
    expect(isDomainError(error) && error.code).toBe('QUOTA_EXCEEDED');
    expect((error as Error).message).toMatch(/already runs 2 sessions.*maxConcurrentSessions: 2/);

    const pids = manager
      .list()
      .find((s) => s.sessionId === 'sess-orphan')!
      .services.map((s) => s.pid!);
    expect(await manager.stopOrphans([SESSION])).toEqual(['sess-orphan']);
    for (const pid of pids) expect(isProcessAlive(pid)).toBe(false);
    expect(await readSessionRoute(dataDir, 'sess-orphan')).toBeNull();
    expect(isPodReady(await manager.status(handle))).toBe(true);
  });

  it('stop ends every process and keeps the workspace; start again reuses it; delete removes it', async () => {
    const route = (await readSessionRoute(dataDir, SESSION))!;
    const pids = route.services.flatMap((s) => [s.pid!, ...descendants(s.pid!).map((d) => d.pid)]);
    expect(pids.length).toBeGreaterThanOrEqual(route.services.length);
    await manager.stop(handle);
    for (const pid of pids) expect(isProcessAlive(pid), `pid ${pid}`).toBe(false);
    expect((await manager.status(handle)).phase).toBe('stopped');
    expect(await readFile(join(workspace, 'from-claude.txt'), 'utf8')).toBe('written by claude\n');
    expect((await fetch(`${front}/s/${SESSION}/terminal/`, { headers: await bearer() })).status).toBe(503);

    const spec = aLocalSpec({
      dataDir,
      id: SESSION,
      repo: { url: repoUrl, credential: { name: 'git-demo', key: 'token' } },
      setupScripts: ['echo "setup ran in $(pwd)" > setup.txt', 'echo installing dependencies'],
      ide: false,
    });
    const again = await manager.start(spec, { id: `${SESSION}-2`, sessionId: SESSION, number: 2 });
    expect(isPodReady(await waitForStatus(manager, again, settled))).toBe(true);
    expect((await manager.status(handle)).phase).toBe('missing'); // the old attempt is gone
    const term = await TtydClient.connect({ url: `${front}/s/${SESSION}/terminal/`, headers: await bearer() });
    try {
      expect(await term.run('cat from-claude.txt')).toBe('written by claude');
    } finally {
      await term.close();
    }

    const running = (await readSessionRoute(dataDir, SESSION))!.services.map((s) => s.pid!);
    await manager.delete(again, { removeWorkspace: true });
    for (const pid of running) expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'sessions', SESSION))).toBe(false);
    expect(await readSessionRoute(dataDir, SESSION)).toBeNull();
    expect((await manager.status(again)).phase).toBe('missing');
  });
});
