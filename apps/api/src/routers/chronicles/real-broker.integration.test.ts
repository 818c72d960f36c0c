/**
 * Chronicles fed by the real broker: the bundled Skuld process drives the real `claude` binary
 * (claude-sdk transport) against the fake Messages API in a clone of the session's repository.
 * The agent creates a file, edits it, deletes another and commits; the broker reports to this
 * API with a token scoped to the session. The chronicle must list the files with their +/−
 * counts, the commit and a token burn whose buckets sum to the usage; the final report enriches
 * it; after the session stops it is complete. A broker killed before its report leaves a
 * chronicle that still completes, partial.
 *
 * The API runs sessions with an in-memory PodManager and the test starts the broker itself,
 * as the local runtime would, because no runtime hands a session's broker its report token yet.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import type { ChronicleDetail } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { Session } from '@volundr/contracts/sessions';
import { createPersonalAccessToken } from '@volundr/core/identity/create-personal-access-token';
import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SkuldProcess, startSkuldProcess } from '../../../../../packages/skuld/src/test/skuld-process';
import { connectClient, type TestClient } from '../../../../../packages/skuld/src/test/test-client';
import { type StartedApi, startApi } from '../../start-api';
import { createContextInner } from '../../trpc/context';
import { createCallerFactory } from '../../trpc/trpc';
import { appRouter } from '../app-router';

const quiet = new Writable({ write: (_c, _e, done) => done() });
const podManagerFixture = fileURLToPath(new URL('./test-fixtures/in-memory-pod-manager.ts', import.meta.url));
const claudeBinary = resolve(
  import.meta.dirname,
  '../../../../../packages/skuld/node_modules/@anthropic-ai/claude-code/bin/claude.exe',
);
const MODEL = 'claude-sonnet-4-5';
const alice: Principal = {
  userId: 'alice',
  email: 'alice@x.test',
  name: 'Alice',
  tenantId: 'acme',
  roles: ['volundr:developer'],
};
const OLD_LINES = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');

async function eventually<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('chronicles from the real broker and the real Claude Code CLI', () => {
  let api: StartedApi;
  let fake: FakeAnthropic;
  let dir: string;
  let origin: string;
  let chatToken: string;
  const brokers: SkuldProcess[] = [];
  const call = () => createCallerFactory(appRouter)(createContextInner({ services: api.services, principal: alice }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'volundr-broker-chronicle-'));
    origin = join(dir, 'origin');
    mkdirSync(origin);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: origin, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(origin, 'README.md'), '# demo\n');
    writeFileSync(join(origin, 'old.md'), `${OLD_LINES}\n`);
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    const configFile = join(dir, 'volundr.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mode: 'local',
        dataDir: join(dir, 'data'),
        server: { port: 0 },
        logging: { level: 'warn' },
        adapters: { podManager: { use: `${podManagerFixture}#inMemoryPodManager` } },
        reconciler: { pollIntervalMs: 50 },
        chronicles: { reportGraceSeconds: 2, completionIntervalSeconds: 0.2 },
      }),
    );
    api = await startApi({ file: configFile, env: {}, logDestination: quiet });
    await api.services.provisionUser?.(alice);
    chatToken = await mintDevToken({ dataDir: join(dir, 'data'), user: 'alice', issuer: api.issuer!, tenant: 'acme' });
    fake = await startFakeAnthropic();
  }, 60_000);
  afterAll(async () => {
    for (const broker of brokers) await broker.stop('SIGKILL').catch(() => {});
    await fake?.close();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A session of the API, a clone of its repository as the workspace, and its broker reporting with a session-scoped token. */
  async function sessionWithBroker(
    name: string,
  ): Promise<{ session: Session; broker: SkuldProcess; workspace: string }> {
    const session = await api.services.sessions.create(alice, {
      name,
      model: MODEL,
      source: { type: 'git', repo: `file://${origin}`, branch: 'main' },
    });
    const workspace = join(dir, name);
    execFileSync('git', ['clone', '-q', origin, workspace], { stdio: 'ignore' });
    mkdirSync(join(dir, `${name}-home`));
    const { token } = await createPersonalAccessToken({
      tokens: api.services.accounts.tokens,
      authorization: api.services.authorization,
      ids: api.services.ids,
      clock: api.services.clock,
      random: cryptoRandomTokens,
    })(alice, { name: `broker-${session.id}`, expiresInDays: 1 }, { sessionId: session.id });
    const apiUrl = `http://127.0.0.1:${api.port}`;
    const broker = await startSkuldProcess({
      SKULD_SESSION_ID: session.id,
      SKULD_OWNER_ID: alice.userId,
      SKULD_TENANT_ID: alice.tenantId,
      SKULD_WORKSPACE_DIR: workspace,
      SKULD_OIDC_ISSUER: api.issuer!,
      SKULD_OIDC_AUDIENCE: 'volundr',
      SKULD_OIDC_JWKS_URL: `${apiUrl}/oidc/jwks`,
      SKULD_TRANSPORT: 'claude-sdk',
      SKULD_MODEL: MODEL,
      SKULD_CLAUDE_BIN: claudeBinary,
      SKULD_API_URL: apiUrl,
      SKULD_REPORT_TOKEN: token,
      SKULD_REPORT_RETRY_MIN_MS: '100',
      SKULD_REPORT_RETRY_MAX_MS: '500',
      SKULD_SUMMARY_TIMEOUT_MS: '20000',
      HOME: join(dir, `${name}-home`),
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'test-key',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      GIT_AUTHOR_NAME: 'Agent',
      GIT_AUTHOR_EMAIL: 'agent@example.test',
      GIT_COMMITTER_NAME: 'Agent',
      GIT_COMMITTER_EMAIL: 'agent@example.test',
    });
    brokers.push(broker);
    return { session, broker, workspace };
  }

  /** Runs one turn, allowing every tool the CLI asks for. */
  async function runTurn(broker: SkuldProcess, text: string): Promise<TestClient> {
    const client = await connectClient(broker.url, { token: chatToken });
    client.ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { type: string; requestId?: string };
      if (event.type === 'permission_request') {
        client.send({ type: 'permission_response', requestId: event.requestId, allow: true });
      }
    });
    client.send({ type: 'user_message', id: `m-${Date.now()}`, text });
    const done = await client.waitFor((e) => e.type === 'turn_completed' || e.type === 'turn_failed', {
      timeoutMs: 120_000,
    });
    expect(done.type).toBe('turn_completed');
    return client;
  }

  const script = (workspace: string, summary: boolean) => [
    {
      text: 'Creating the app.',
      toolUse: {
        name: 'Write',
        input: {
          file_path: join(workspace, 'src/app.ts'),
          content: 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n',
        },
      },
    },
    {
      text: 'Renaming b.',
      toolUse: {
        name: 'Edit',
        input: {
          file_path: join(workspace, 'src/app.ts'),
          old_string: 'export const b = 2;',
          new_string: 'export const bee = 2;',
        },
      },
    },
    // `git rm`, not `rm`: the broker takes a plain `rm` as the agent's own delete, which carries no line counts.
    {
      text: 'Removing old notes.',
      toolUse: { name: 'Bash', input: { command: 'git rm -q old.md', description: 'remove' } },
    },
    // The workspace watcher counts the deleted lines against HEAD: let it see the delete first.
    {
      text: 'Committing.',
      delayMs: 1_500,
      toolUse: {
        name: 'Bash',
        input: { command: 'git add -A && git commit -qm "Add app, drop old notes"', description: 'commit' },
      },
    },
    { text: 'Done: src/app.ts added, old.md removed, committed.', usage: { input_tokens: 900, output_tokens: 40 } },
    ...(summary
      ? [
          {
            text: JSON.stringify({
              summary: 'Added src/app.ts; removed old.md.',
              keyChanges: ['src/app.ts added'],
              unfinishedWork: 'Add tests for src/app.ts.',
            }),
          },
        ]
      : []),
  ];

  const detailOf = async (sessionId: string): Promise<ChronicleDetail> => {
    const chronicle = (await call().chronicles.list({})).items.find((c) => c.sessionId === sessionId);
    if (!chronicle) throw new Error(`no chronicle for session ${sessionId}`);
    return call().chronicles.byId({ id: chronicle.id });
  };

  it('lists the files with +/− counts, the commit, a token burn summing to the usage; the final report enriches; stop completes', async () => {
    const { session, broker, workspace } = await sessionWithBroker('real-claude');
    fake.setScript(script(workspace, true));
    const client = await runTurn(broker, 'Add src/app.ts, rename b, drop old.md and commit');
    await client.close();
    expect(readFileSync(join(workspace, 'src/app.ts'), 'utf8')).toContain('bee');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();

    // The broker's outbox delivers while the session runs; wait for the commit to arrive.
    const live = await eventually(
      async () => {
        const detail = await detailOf(session.id);
        return detail.commits.length > 0 && detail.files.length >= 2 ? detail : undefined;
      },
      30_000,
      'the commit and files to be reported',
    );
    expect(live.chronicle.status).toBe('draft');
    expect(live.files).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'src/app.ts', status: 'new', insertions: 4, deletions: 1 }),
        expect.objectContaining({ path: 'old.md', status: 'deleted', insertions: 0, deletions: 12 }),
      ]),
    );
    expect(live.commits).toEqual([
      expect.objectContaining({ hash: head, shortHash: head.slice(0, 7), message: 'Add app, drop old notes' }),
    ]);

    expect(await broker.stop('SIGTERM', 90_000)).toEqual({ code: 0, signal: null });
    const enriched = await eventually(
      async () => {
        const detail = await detailOf(session.id);
        return detail.chronicle.reportReceivedAt ? detail : undefined;
      },
      30_000,
      'the final report',
    );
    expect(enriched.chronicle).toMatchObject({
      summary: 'Added src/app.ts; removed old.md.',
      unfinishedWork: 'Add tests for src/app.ts.',
      status: 'draft',
      partial: false,
    });
    const usage = await call().usage.bySession({ sessionId: session.id });
    expect(usage.turns).toBeGreaterThanOrEqual(1);
    expect(enriched.usage.total).toEqual(usage.total);
    expect(enriched.tokenBurn.buckets.reduce((n, b) => n + b.total.tokens, 0)).toBe(usage.total.tokens);
    expect(usage.total.tokens).toBeGreaterThan(0);

    await api.services.sessions.stop(alice, { id: session.id });
    const complete = await eventually(
      async () => {
        const { chronicle } = await detailOf(session.id);
        return chronicle.status === 'complete' ? chronicle : undefined;
      },
      30_000,
      'the chronicle to complete',
    );
    expect(complete.partial).toBe(false);
  }, 240_000);

  it('a broker killed before its final report leaves a chronicle that completes, partial', async () => {
    const { session, broker, workspace } = await sessionWithBroker('killed-broker');
    fake.setScript(script(workspace, false));
    const client = await runTurn(broker, 'Add src/app.ts, rename b, drop old.md and commit');
    await client.close();
    await eventually(
      async () => ((await detailOf(session.id)).commits.length > 0 ? true : undefined),
      30_000,
      'the commit to be reported',
    );
    await broker.stop('SIGKILL');
    await api.services.sessions.stop(alice, { id: session.id });
    const complete = await eventually(
      async () => {
        const { chronicle } = await detailOf(session.id);
        return chronicle.status === 'complete' ? chronicle : undefined;
      },
      30_000,
      'the chronicle to complete without a report',
    );
    expect(complete).toMatchObject({ partial: true, reportReceivedAt: null });
    expect(complete.summary).toContain('1 commit');
    expect(complete.keyChanges[0]).toMatch(/^commit [0-9a-f]{7}: Add app, drop old notes$/);
    expect(complete.keyChanges).toContain('deleted old.md (+0 −12)');
  }, 240_000);
});
