/**
 * Assembles one broker from its configuration: state, durable log, transport, conversation,
 * reports (outbox, recorder, workspace and git watchers) and the HTTP/WebSocket server.
 * `main.ts` runs it as a process; tests and benchmarks run it in-process with a fake transport.
 */
import { mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import type { Identity } from '@volundr/core/identity/ports/identity';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { createReportsClient } from '@volundr/sdk/reports-client';
import { authorizeConnection } from './auth/authorize-connection';
import { type Conversation, createConversation, recoverConversation } from './broker/conversation';
import { createEventHub, type EventHub } from './broker/event-hub';
import type { SkuldConfig } from './config';
import { createWorkspaceDiff } from './diff/workspace-diff';
import { openEventLog } from './log/event-log';
import { buildFinalReport } from './reports/final-report';
import { createGit } from './reports/git';
import { createGitWatcher } from './reports/git-watcher';
import { createOutbox, type Outbox } from './reports/outbox';
import { createReportRecorder } from './reports/report-recorder';
import { createWorkspaceWatcher, type WorkspaceWatcher } from './reports/workspace-watcher';
import { createChatServer } from './server/chat-server';
import { createDiffRoutes } from './server/diff-routes';
import { openBrokerState } from './state/broker-state';
import type { Transport, TransportOptions } from './transports/transport';

export interface SkuldDeps {
  logger: Logger;
  identity: Identity;
  authorization: Authorization;
  /** Builds the transport; the broker fills in resume id, env, binary and the session-id callback. */
  createTransport: (options: TransportOptions) => Transport;
  /** Environment the CLI's variables are taken from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface RunningSkuld {
  readonly port: number;
  readonly transport: Transport;
  readonly conversation: Conversation;
  readonly hub: EventHub;
  readonly outbox: Outbox;
  /** Graceful stop: ends the turn, sends the final report, flushes the outbox (bounded). */
  stop(): Promise<void>;
}

/** Variables the CLI may see: its model API settings and ordinary process basics, never Skuld's own. */
const CLI_ENV_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'TERM',
  'TMPDIR',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
]);
const CLI_ENV_PREFIXES = ['ANTHROPIC_', 'OPENAI_', 'CLAUDE_', 'CODEX_', 'GIT_', 'LC_', 'XDG_'];

export function cliEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (CLI_ENV_NAMES.has(name) || CLI_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  return out;
}

export async function startSkuld(config: SkuldConfig, deps: SkuldDeps): Promise<RunningSkuld> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger;
  mkdirSync(config.stateDir, { recursive: true });

  const state = openBrokerState(config.stateDir, { logger, now });
  const recovered = recoverConversation();
  const log = openEventLog(join(config.stateDir, 'chat.ndjson'), { logger, now, onRecovered: recovered.onEvent });
  logger.info({ lastSeq: log.lastSeq, turns: recovered.turnsStarted }, 'event log opened');

  const transport = deps.createTransport({
    workspaceDir: config.workspaceDir,
    model: state.current.model ?? config.model,
    env: cliEnvironment(deps.env ?? process.env),
    binary: config.transport === 'codex' ? config.codexBin : config.claudeBin,
    ...(config.systemPrompt ? { systemPrompt: config.systemPrompt } : {}),
    ...(state.current.cliSessionId ? { resumeId: state.current.cliSessionId } : {}),
    onCliSessionId: (id) => {
      if (state.current.cliSessionId !== id) state.update({ cliSessionId: id });
    },
    logger: logger.child({ component: 'transport' }),
  });

  const outbox = createOutbox({
    dir: join(config.stateDir, 'outbox'),
    client: config.api
      ? createReportsClient({
          apiUrl: config.api.url,
          sessionId: config.sessionId,
          token: config.api.token,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        })
      : null,
    logger: logger.child({ component: 'outbox' }),
    retry: config.reportRetry,
  });

  const stateDirInWorkspace = relative(config.workspaceDir, config.stateDir).split(sep).join('/');
  const ignorePaths = stateDirInWorkspace.startsWith('..') ? [] : [stateDirInWorkspace];
  const git = createGit(config.workspaceDir);
  const isRepo = (await git.gitDir()) !== null;
  if (isRepo && ignorePaths[0]) await git.exclude(`/${ignorePaths[0]}/`);

  const sessionStartedAt = new Date(state.current.sessionStartedAt);
  let model = transport.model;
  const recorder = createReportRecorder({
    enqueue: (report) => outbox.enqueue(report),
    workspaceDir: config.workspaceDir,
    sessionStartedAt,
    model: () => model,
    turnsBefore: recovered.turnsStarted,
    onChangedFile: (path) => state.addChangedFile(path),
    logger: logger.child({ component: 'reports' }),
    now,
  });
  const hub = createEventHub({ log, logger, now, onLogged: (events) => recorder.onEvents(events) });
  const conversation = createConversation({
    transport,
    publish: hub.publish,
    announce: hub.announce,
    logger: logger.child({ component: 'conversation' }),
    recovered,
    onModelChanged: (next) => {
      model = next;
      state.update({ model: next });
    },
  });

  if (!state.current.sessionReported) {
    recorder.sessionStarted();
    state.update({ sessionReported: true });
  }

  if (isRepo && state.current.startHead === undefined) {
    const head = await git.head();
    state.update({ startHead: head, lastHead: head });
  }
  const gitWatcher = isRepo
    ? createGitWatcher({
        git,
        logger,
        lastHead: state.current.lastHead ?? null,
        onCommits: (commits, head) => {
          recorder.onCommits(commits);
          state.update({ lastHead: head });
        },
      })
    : null;
  await gitWatcher?.start();

  let workspaceWatcher: WorkspaceWatcher | null = null;
  if (config.watchWorkspace) {
    workspaceWatcher = createWorkspaceWatcher({
      root: config.workspaceDir,
      ignorePaths,
      git: isRepo ? git : null,
      logger: logger.child({ component: 'workspace-watcher' }),
      onChanges: (changes) => recorder.onFileChanges(changes),
      now,
    });
    // A large workspace takes a while to walk: listen meanwhile (changes during the walk may be
    // seen as pre-existing files, which only costs their line counts).
    workspaceWatcher.start().catch((error: unknown) => {
      logger.warn({ error: (error as Error).message }, 'watching the workspace failed');
    });
  }

  // Before any turn runs: `session-start` diffs compare with the workspace as it is now.
  const workspaceDiff = createWorkspaceDiff({
    workspaceDir: config.workspaceDir,
    stateDir: config.stateDir,
    ignorePaths,
    sessionStartedAt,
    logger,
    now,
  });
  await workspaceDiff.recordBaseline();

  conversation.resume();

  let readiness: { at: number; result: { ok: true } | { ok: false; reason: string } } | null = null;
  const server = createChatServer({
    host: config.host,
    port: config.port,
    sessionId: config.sessionId,
    hub,
    conversation,
    logger,
    onConnectionsChanged: (count) => recorder.connectionsChanged(count),
    authorize: (request, url) =>
      authorizeConnection(request, url, {
        identity: deps.identity,
        authorization: deps.authorization,
        session: { sessionId: config.sessionId, ownerId: config.ownerId, tenantId: config.tenantId },
      }),
    api: createDiffRoutes({
      diff: workspaceDiff,
      logger: logger.child({ component: 'api' }),
      authorize: (request, url) =>
        authorizeConnection(request, url, {
          identity: deps.identity,
          authorization: deps.authorization,
          session: { sessionId: config.sessionId, ownerId: config.ownerId, tenantId: config.tenantId },
          action: 'read',
        }),
    }),
    // The check may start a process (`claude --version`): a few seconds of caching is plenty for probes.
    async readiness() {
      if (readiness && Date.now() - readiness.at < 5_000) return readiness.result;
      const result = await transport.check();
      readiness = { at: Date.now(), result };
      return result;
    },
  });
  const port = await server.listen();
  outbox.start();

  let stopping: Promise<void> | null = null;
  const stop = async () => {
    logger.info({}, 'stopping: ending the turn, final report, flushing reports');
    await conversation.shutdown(5_000);
    hub.flush();
    if (workspaceWatcher) await withinMs(workspaceWatcher.settled(), 2_000);
    await gitWatcher?.check();
    workspaceWatcher?.stop();
    gitWatcher?.stop();
    const final = await buildFinalReport({
      transport,
      git: isRepo ? git : null,
      logger,
      key: `final:${now().toISOString()}`,
      sessionStartedAt,
      now: now(),
      askCli: conversation.turnsStarted > 0,
      summaryTimeoutMs: config.summaryTimeoutMs,
      startHead: state.current.startHead ?? null,
      changedFiles: state.current.changedFiles,
      lastReply: recorder.lastReply,
      ignorePaths,
    });
    outbox.enqueue(final);
    await transport.close().catch((error: unknown) => {
      logger.warn({ error: (error as Error).message }, 'closing the transport failed');
    });
    hub.flush();
    await server.close();
    const left = await outbox.flush(config.shutdownFlushMs);
    if (left > 0) logger.warn({ pending: left }, 'reports left in the outbox; they are sent on the next start');
    await outbox.stop();
    log.close();
    logger.info({ delivered: left === 0 }, 'stopped');
  };

  return {
    port,
    transport,
    conversation,
    hub,
    outbox,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

async function withinMs(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
