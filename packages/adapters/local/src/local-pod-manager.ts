/**
 * The `local` PodManager: a session is a set of local processes (Skuld broker, terminal server,
 * code-server when installed) around a workspace directory in the data dir. Processes run
 * detached and are recorded in a route file per session, so they outlive an API restart and a
 * new instance re-adopts them. See docs/local-runtime.md.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Container, SessionEndpoints, SessionSpec } from '@volundr/contracts/session-spec';
import { ZSessionSpec } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError, isDomainError } from '@volundr/core/errors';
import type {
  ContainerStatus,
  PodHandle,
  PodManager,
  PodStatus,
  StartAttempt,
  Unsubscribe,
} from '@volundr/core/sessions/ports/pod-manager';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';
import { findCodeServer } from './ide/code-server-find';
import { localEndpoints } from './local-endpoints';
import { PortAllocator } from './runtime/port-allocator';
import { isProcessAlive, stopProcessGroups } from './runtime/processes';
import { ProvisionError, provisionSession } from './runtime/provision-session';
import {
  listRouteFiles,
  type RouteFile,
  readSessionRoute,
  removeRouteFile,
  type ServiceRecord,
  writeRouteFile,
} from './runtime/route-file';
import {
  brokerLaunch,
  ideLaunch,
  type LaunchContext,
  type ServiceLaunch,
  terminalLaunch,
} from './runtime/service-launch';
import {
  defaultEnvPassthrough,
  fileSecretValues,
  machineEnvironment,
  pickEnv,
  resolveEnv,
  type SecretValues,
  ZEnvPattern,
} from './runtime/session-env';
import { homeDir, type SessionPaths, sessionPaths } from './runtime/session-paths';
import { isHttpOk } from './runtime/wait-ready';

const ZPort = z.int().min(1024).max(65_535);
const ZAbsoluteDir = z.string().min(1).refine(isAbsolute, 'an absolute path');
const ZMs = (max: number) => z.int().min(0).max(max);

export const ZLocalPodManagerOptions = z.strictObject({
  /** Volundr's data dir (`~/.volundr`): sessions, homes, route files live under it. */
  dataDir: ZAbsoluteDir,
  maxConcurrentSessions: z.int().min(1).max(500).default(10),
  /**
   * Loopback ports for session services: a range (the default lies below Linux's ephemeral
   * range, so outgoing connections never take a port between allocation and start) or 0 for
   * ports the OS picks.
   */
  portRange: z
    .union([
      z.literal(0),
      z.strictObject({ from: ZPort, to: ZPort }).refine((r) => r.to - r.from >= 2, 'needs at least 3 ports'),
    ])
    .default({ from: 20_000, to: 29_999 }),
  /** Variables of the API's environment that reach the session (model API keys and URLs). */
  envPassthrough: z.array(ZEnvPattern).max(200).default(defaultEnvPassthrough),
  /** The bundled broker (`packages/skuld/dist/skuld.mjs`, built by `pnpm --filter @volundr/skuld build`). */
  skuldEntry: ZAbsoluteDir.optional(),
  /** The bundled terminal server (`packages/terminal/dist/terminal.mjs`). */
  terminalEntry: ZAbsoluteDir.optional(),
  /** Where `volundr ide install` put code-server (`<dir>/tools/code-server`); defaults to dataDir. */
  codeServerDataDir: ZAbsoluteDir.optional(),
  /** Run code-server for sessions whose spec has an IDE, when it is installed. */
  ide: z.boolean().default(true),
  /** The identity provider the broker validates chat tokens against (the embedded one in `volundr up`). */
  oidc: z.strictObject({
    issuer: z.url(),
    audience: z.string().min(1),
    jwksUrl: z.url().optional(),
    claimsPreset: z.enum(['generic', 'keycloak', 'entra', 'okta']).optional(),
    defaultTenant: z.string().min(1).optional(),
  }),
  /** Which Skuld transport drives each CLI; `fake` is the broker's scripted test double. */
  transports: z
    .strictObject({
      claude: z.enum(['claude-sdk', 'claude-subprocess', 'fake']).default('claude-sdk'),
      codex: z.enum(['codex', 'fake']).default('codex'),
    })
    .default({ claude: 'claude-sdk', codex: 'codex' }),
  claudeBin: z.string().min(1).optional(),
  codexBin: z.string().min(1).optional(),
  /** The terminal's shell; defaults to $SHELL, else /bin/bash. */
  shell: ZAbsoluteDir.optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** SIGTERM → SIGKILL grace when stopping (the broker flushes its reports meanwhile). */
  stopGraceMs: ZMs(120_000).default(15_000),
  readyTimeoutMs: ZMs(600_000).default(60_000),
  cloneTimeoutMs: ZMs(3_600_000).default(600_000),
  setupTimeoutMs: ZMs(3_600_000).default(900_000),
});
export type LocalPodManagerOptions = z.input<typeof ZLocalPodManagerOptions>;
type Options = z.infer<typeof ZLocalPodManagerOptions>;

export interface LocalPodManagerDeps {
  logger?: Logger;
  /** Where passthrough variables and machine settings come from. Default: process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** Secret values by reference (git credentials, secret env). Default: files under `<dataDir>/secrets/`. */
  secretValues?: SecretValues;
  /** The broker's report credential for each start (absent: brokers do not report). */
  sessionSecrets?: SessionSecrets;
}

/** Provisioning progress, for `pod_progress` session events. */
export interface LocalProgress {
  sessionId: string;
  attemptId: string;
  step: string;
  message: string;
}

/** What the local runtime knows of one session (from its route file). */
export interface LocalSessionSummary {
  sessionId: string;
  attemptId: string;
  ownerId: string;
  tenantId: string;
  phase: RouteFile['phase'];
  message: string | null;
  services: { name: string; role: ServiceRecord['role']; pid: number | null; port: number | null; ready: boolean }[];
}

export interface LocalPodManager extends PodManager {
  /** Provisioning progress of every session (clone, setup output, services). */
  onProgress(listener: (progress: LocalProgress) => void): Unsubscribe;
  /** Every session the data dir has a route file for. */
  list(): LocalSessionSummary[];
  /** Sessions with a route file but no session row (ids not in `knownSessionIds`). */
  listOrphans(knownSessionIds: Iterable<string>): LocalSessionSummary[];
  /** Stops the orphans' processes and forgets them (their workspaces stay). Returns their ids. */
  stopOrphans(knownSessionIds: Iterable<string>): Promise<string[]>;
  /** Stops watching; the sessions' processes keep running (a new instance re-adopts them). */
  close(): void;
}

interface Runtime {
  route: RouteFile;
  paths: SessionPaths;
  /** Our own children (absent for re-adopted processes, which are polled instead). */
  children: Map<string, ChildProcess>;
  abort: AbortController | null;
  provisioning: Promise<void> | null;
  progress: { step: string; message: string } | null;
  stopping: boolean;
}

const BACKEND = 'local';
const ACTIVE = new Set<RouteFile['phase']>(['provisioning', 'running']);
const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

const summaryOf = (route: RouteFile): LocalSessionSummary => ({
  sessionId: route.sessionId,
  attemptId: route.attemptId,
  ownerId: route.ownerId,
  tenantId: route.tenantId,
  phase: route.phase,
  message: route.message,
  services: route.services.map((s) => ({ name: s.name, role: s.role, pid: s.pid, port: s.port, ready: s.ready })),
});

function handleOf(route: RouteFile, paths: SessionPaths): PodHandle {
  return {
    backend: BACKEND,
    id: route.sessionId,
    attemptId: route.attemptId,
    endpoints: localEndpoints(route.sessionId),
    data: {
      routeFile: paths.routeFile,
      credentialFile: route.credentialFile,
      workspaceDir: route.workspaceDir,
      logsDir: route.logsDir,
      services: route.services.map((s) => ({ name: s.name, role: s.role, port: s.port, pid: s.pid })),
    },
  };
}

const ZHandle = z.object({ backend: z.literal(BACKEND), id: z.string().min(1), attemptId: z.string().min(1) });

function checkHandle(handle: PodHandle): { id: string; attemptId: string } {
  const parsed = ZHandle.safeParse(handle);
  if (!parsed.success) {
    throw new DomainError('BAD_REQUEST', `Not a local runtime handle (backend "${String(handle.backend)}").`);
  }
  return parsed.data;
}

export async function createLocalPodManager(
  input: LocalPodManagerOptions,
  deps: LocalPodManagerDeps = {},
): Promise<LocalPodManager> {
  const options: Options = ZLocalPodManagerOptions.parse(input);
  const log = (deps.logger ?? silentLogger).child({ component: 'local-runtime' });
  const hostEnv = deps.hostEnv ?? process.env;
  const ownSecrets = deps.secretValues ?? fileSecretValues(options.dataDir);
  /** The owner's stored credentials (SessionSecrets.secretValue) first, then this runtime's own secrets. */
  const secretsFor =
    (spec: SessionSpec): SecretValues =>
    async (ref) =>
      (await deps.sessionSecrets?.secretValue?.(ref, {
        id: spec.session.id,
        ownerId: spec.session.ownerId,
        tenantId: spec.session.tenantId,
      })) ?? ownSecrets(ref);
  const ports = new PortAllocator(options.portRange);
  const runtimes = new Map<string, Runtime>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const progressListeners = new Set<(progress: LocalProgress) => void>();
  const locks = new Map<string, Promise<unknown>>();

  const skuldEntry = options.skuldEntry ?? join(repoRoot, 'packages', 'skuld', 'dist', 'skuld.mjs');
  const terminalEntry = options.terminalEntry ?? join(repoRoot, 'packages', 'terminal', 'dist', 'terminal.mjs');
  const skuldModules = join(dirname(dirname(skuldEntry)), 'node_modules');
  const claudeBin =
    options.claudeBin ??
    (existsSync(join(skuldModules, '@anthropic-ai/claude-code/bin/claude.exe'))
      ? join(skuldModules, '@anthropic-ai/claude-code/bin/claude.exe')
      : 'claude');
  const codexBin =
    options.codexBin ?? (existsSync(join(skuldModules, '.bin/codex')) ? join(skuldModules, '.bin/codex') : 'codex');
  const shell = options.shell ?? (hostEnv.SHELL && isAbsolute(hostEnv.SHELL) ? hostEnv.SHELL : '/bin/bash');

  /** Operations on one session run one at a time (provisioning itself runs outside the lock). */
  function locked<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(sessionId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => {});
    locks.set(sessionId, settled);
    void settled.then(() => {
      if (locks.get(sessionId) === settled) locks.delete(sessionId);
    });
    return next;
  }

  const changed = (sessionId: string) => changes.emit('change', sessionId);

  async function save(rt: Runtime, patch: Partial<RouteFile>): Promise<void> {
    rt.route = { ...rt.route, ...patch, updatedAt: new Date().toISOString() };
    await writeRouteFile(options.dataDir, rt.route);
    changed(rt.route.sessionId);
  }

  async function patchService(rt: Runtime, name: string, patch: Partial<ServiceRecord>): Promise<void> {
    await save(rt, { services: rt.route.services.map((s) => (s.name === name ? { ...s, ...patch } : s)) });
  }

  // ---- progress ------------------------------------------------------------------------------

  const pendingLines = new Map<string, { timer: NodeJS.Timeout; progress: LocalProgress }>();
  function publish(progress: LocalProgress) {
    for (const listener of progressListeners) {
      try {
        listener(progress);
      } catch (error) {
        log.warn({ err: error }, 'progress listener failed');
      }
    }
  }
  /** Step changes go out at once; output lines at most every 250 ms per session (the latest wins). */
  function progress(rt: Runtime, step: string, message: string, coalesce = false) {
    const event = {
      sessionId: rt.route.sessionId,
      attemptId: rt.route.attemptId,
      step,
      message: message.slice(0, 2000),
    };
    rt.progress = { step, message: event.message };
    const pending = pendingLines.get(event.sessionId);
    if (coalesce) {
      if (pending) pending.progress = event;
      else {
        const timer = setTimeout(() => {
          const latest = pendingLines.get(event.sessionId);
          pendingLines.delete(event.sessionId);
          if (latest) publish(latest.progress);
          changed(event.sessionId);
        }, 250);
        timer.unref();
        pendingLines.set(event.sessionId, { timer, progress: event });
      }
      return;
    }
    if (pending) {
      clearTimeout(pending.timer);
      pendingLines.delete(event.sessionId);
    }
    publish(event);
    changed(event.sessionId);
  }

  // ---- stopping ------------------------------------------------------------------------------

  async function stopProcesses(rt: Runtime): Promise<void> {
    const leaders = rt.route.services
      .filter((s) => s.pid !== null)
      .map((s) => ({ pid: s.pid!, startTime: s.startTime }));
    await stopProcessGroups(leaders, options.stopGraceMs);
  }

  /** Ends provisioning and every process; the route file stays (phase `stopped`), the workspace too. */
  async function stopRuntime(rt: Runtime, phase: 'stopped' | 'failed' = 'stopped', message: string | null = null) {
    rt.stopping = true;
    try {
      rt.abort?.abort();
      await rt.provisioning?.catch(() => {});
      await stopProcesses(rt);
      rt.children.clear();
      await rm(rt.paths.secretsDir, { recursive: true, force: true });
      ports.release(rt.route.services.map((s) => s.port));
      rt.progress = null;
      await save(rt, {
        phase,
        message,
        credentialFile: null,
        services: rt.route.services.map((s) => ({ ...s, pid: null, startTime: null, ready: false })),
      });
    } finally {
      rt.stopping = false;
    }
  }

  /** A failure while provisioning or running: record why and end what is left. */
  function fail(rt: Runtime, message: string) {
    const attemptId = rt.route.attemptId;
    return locked(rt.route.sessionId, async () => {
      if (rt.route.attemptId !== attemptId || !ACTIVE.has(rt.route.phase)) return;
      log.warn({ sessionId: rt.route.sessionId, reason: message }, 'session failed');
      await stopRuntime(rt, 'failed', message);
    });
  }

  // ---- starting ------------------------------------------------------------------------------

  function validSpec(spec: SessionSpec): SessionSpec {
    const parsed = ZSessionSpec.safeParse(spec);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new DomainError(
        'SPEC_INVALID',
        `The session spec is invalid at ${first?.path.join('.') || 'its root'}: ${first?.message}`,
      );
    }
    return parsed.data;
  }

  function workspaceCheck(spec: SessionSpec, paths: SessionPaths) {
    const volume = spec.pod.volumes.find((v) => v.name === spec.workspace.volume);
    const source = volume?.source;
    if (source && source.kind !== 'emptyDir' && !(source.kind === 'directory' && source.path === paths.workspaceDir)) {
      throw new DomainError(
        'SPEC_INVALID',
        `The local runtime keeps the workspace of session ${spec.session.id} in ${paths.workspaceDir}, but the spec asks for a ${source.kind} volume${source.kind === 'directory' ? ` at ${source.path}` : ''}; configure the local storage adapter.`,
      );
    }
  }

  function checkEntries() {
    if (!existsSync(skuldEntry)) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `The Skuld broker is not built (${skuldEntry} is missing); run \`pnpm --filter @volundr/skuld build\`.`,
      );
    }
    if (!existsSync(terminalEntry)) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `The terminal server is not built (${terminalEntry} is missing); run \`pnpm --filter @volundr/terminal build\`.`,
      );
    }
  }

  async function plan(spec: SessionSpec, paths: SessionPaths, home: string, credential: string, attempt: StartAttempt) {
    const pathMap = [
      { mountPath: spec.workspace.mountPath, hostPath: paths.workspaceDir },
      ...(spec.home.enabled && spec.home.mountPath ? [{ mountPath: spec.home.mountPath, hostPath: home }] : []),
    ];
    const base: Record<string, string> = {
      ...machineEnvironment(hostEnv),
      ...pickEnv(hostEnv, options.envPassthrough),
      HOME: home,
      VOLUNDR_SESSION_ID: spec.session.id,
      VOLUNDR_WORKSPACE: paths.workspaceDir,
    };
    const secrets = secretsFor(spec);
    const podEnv = await resolveEnv(spec.pod.env, secrets, pathMap);
    const perContainer = new Map<string, Record<string, string>>();
    for (const c of spec.pod.containers) {
      perContainer.set(c.name, { ...base, ...podEnv, ...(await resolveEnv(c.env, secrets, pathMap)) });
    }
    const ctx: LaunchContext = {
      sessionId: spec.session.id,
      ownerId: spec.session.ownerId,
      tenantId: spec.session.tenantId,
      model: spec.session.model,
      ...(spec.agent.systemPrompt ? { systemPrompt: spec.agent.systemPrompt } : {}),
      workspaceDir: paths.workspaceDir,
      logsDir: paths.logsDir,
      envFor: (c: Container) => perContainer.get(c.name) ?? { ...base, ...podEnv },
      nodePath: process.execPath,
    };
    const codeServer = options.ide ? findCodeServer(options.codeServerDataDir ?? options.dataDir) : null;
    const launches: ServiceLaunch[] = [];
    const allocated: number[] = [];
    try {
      for (const c of spec.pod.containers) {
        if (c.role === 'sidecar') {
          log.warn({ sessionId: spec.session.id, container: c.name }, 'sidecar containers do not run locally');
          continue;
        }
        if (c.role === 'ide' && !codeServer) continue;
        const port = await ports.allocate();
        allocated.push(port);
        if (c.role === 'broker') {
          const reporting = await deps.sessionSecrets?.brokerReporting(
            { id: spec.session.id, ownerId: spec.session.ownerId, tenantId: spec.session.tenantId },
            attempt,
          );
          launches.push(
            brokerLaunch(
              c,
              port,
              ctx,
              {
                entry: skuldEntry,
                transport: spec.session.cli === 'codex' ? options.transports.codex : options.transports.claude,
                claudeBin,
                codexBin,
                oidc: options.oidc,
                logLevel: options.logLevel,
                ...(reporting ? { reporting } : {}),
              },
              paths.brokerStateDir,
            ),
          );
        } else if (c.role === 'terminal') {
          launches.push(
            terminalLaunch(c, port, ctx, {
              entry: terminalEntry,
              shell,
              restricted: spec.agent.terminalRestricted,
              credential,
              logLevel: options.logLevel,
            }),
          );
        } else {
          launches.push(
            ideLaunch(c, port, ctx, {
              binPath: codeServer!,
              ideDir: paths.ideDir,
              extensionsDir: join(home, '.local', 'share', 'code-server', 'extensions'),
            }),
          );
        }
      }
    } catch (error) {
      ports.release(allocated);
      throw error;
    }
    if (!launches.some((l) => l.role === 'broker')) {
      ports.release(allocated);
      throw new DomainError('SPEC_INVALID', `The spec of session ${spec.session.id} has no broker container.`);
    }
    const env = { ...base, ...podEnv };
    return { launches, env };
  }

  async function start(input: SessionSpec, attempt: StartAttempt): Promise<PodHandle> {
    const spec = validSpec(input);
    const paths = sessionPaths(options.dataDir, spec.session.id);
    const home = spec.home.enabled ? homeDir(options.dataDir, spec.session.ownerId) : join(paths.sessionDir, 'home');
    if (attempt.sessionId !== spec.session.id) {
      throw new DomainError(
        'BAD_REQUEST',
        `Attempt ${attempt.id} belongs to session ${attempt.sessionId}, not ${spec.session.id}.`,
      );
    }
    workspaceCheck(spec, paths);
    return locked(spec.session.id, async () => {
      const existing = runtimes.get(spec.session.id);
      if (existing && existing.route.attemptId === attempt.id) return handleOf(existing.route, paths);
      if (existing && ACTIVE.has(existing.route.phase)) await stopRuntime(existing);
      const active = [...runtimes.values()].filter(
        (r) => r.route.sessionId !== spec.session.id && ACTIVE.has(r.route.phase),
      ).length;
      if (active >= options.maxConcurrentSessions) {
        throw new DomainError(
          'QUOTA_EXCEEDED',
          `This machine already runs ${active} sessions, the most the local runtime allows (maxConcurrentSessions: ${options.maxConcurrentSessions}). Stop a session, or raise the limit in the configuration.`,
          { limit: options.maxConcurrentSessions },
        );
      }
      checkEntries();
      const credential = `volundr:${randomBytes(24).toString('base64url')}`;
      const { launches, env } = await plan(spec, paths, home, credential, attempt);
      await mkdir(paths.secretsDir, { recursive: true, mode: 0o700 });
      await writeFile(paths.terminalCredentialFile, credential, { mode: 0o600 });

      const rt: Runtime = {
        paths,
        children: new Map(),
        abort: new AbortController(),
        provisioning: null,
        progress: null,
        stopping: false,
        route: {
          version: 1,
          sessionId: spec.session.id,
          attemptId: attempt.id,
          name: spec.session.name,
          ownerId: spec.session.ownerId,
          tenantId: spec.session.tenantId,
          phase: 'provisioning',
          message: null,
          workspaceDir: paths.workspaceDir,
          logsDir: paths.logsDir,
          credentialFile: launches.some((l) => l.role === 'terminal') ? paths.terminalCredentialFile : null,
          services: launches.map((l) => ({
            name: l.name,
            role: l.role,
            port: l.port,
            pid: null,
            startTime: null,
            readinessPath: l.readinessPath,
            logFile: l.logFile,
            ready: false,
          })),
          updatedAt: new Date().toISOString(),
        },
      };
      runtimes.set(spec.session.id, rt);
      await save(rt, {});
      log.info({ sessionId: spec.session.id, attemptId: attempt.id }, 'provisioning');
      rt.provisioning = runProvisioning(rt, spec, home, launches, env);
      return handleOf(rt.route, paths);
    });
  }

  async function runProvisioning(
    rt: Runtime,
    spec: SessionSpec,
    home: string,
    launches: ServiceLaunch[],
    env: Record<string, string>,
  ): Promise<void> {
    const signal = rt.abort!.signal;
    const startedAt = performance.now();
    try {
      await provisionSession(
        {
          spec,
          paths: rt.paths,
          homeDir: home,
          launches,
          env,
          secrets: secretsFor(spec),
          timeouts: {
            cloneMs: options.cloneTimeoutMs,
            setupMs: options.setupTimeoutMs,
            readyMs: options.readyTimeoutMs,
          },
        },
        {
          signal,
          progress: (step, message, coalesce) => progress(rt, step, message, coalesce),
          spawned: async (name, child, startTime) => {
            rt.children.set(name, child);
            child.once('exit', (code, sig) => onExit(rt, name, child.pid ?? null, code, sig));
            await patchService(rt, name, { pid: child.pid ?? null, startTime });
          },
          ready: async (name) => {
            await patchService(rt, name, { ready: true });
            progress(rt, 'services', `${name} is ready`);
          },
        },
      );
      if (signal.aborted) return;
      rt.progress = null;
      await save(rt, { phase: 'running', message: null });
      log.info(
        { sessionId: rt.route.sessionId, ms: Math.round(performance.now() - startedAt) },
        'all session services are ready',
      );
    } catch (error) {
      if (signal.aborted) return;
      const message =
        isDomainError(error) || error instanceof ProvisionError || error instanceof Error
          ? error.message
          : String(error);
      rt.provisioning = null; // fail() awaits provisioning: this is it
      await fail(rt, message);
    } finally {
      rt.abort = null;
    }
  }

  function onExit(rt: Runtime, name: string, pid: number | null, code: number | null, signal: NodeJS.Signals | null) {
    const service = rt.route.services.find((s) => s.name === name);
    rt.children.delete(name);
    if (rt.stopping || !service || service.pid !== pid || !ACTIVE.has(rt.route.phase)) return;
    const how = code !== null ? `code ${code}` : `signal ${signal}`;
    void fail(rt, `${name} exited (${how}); see ${service.logFile}`).catch((error) =>
      log.error({ err: error, sessionId: rt.route.sessionId }, 'could not record a failed session'),
    );
  }

  /** Re-adopted processes are not our children: their liveness is checked by pid. */
  function deadService(rt: Runtime): ServiceRecord | null {
    if (rt.stopping || !ACTIVE.has(rt.route.phase)) return null;
    for (const s of rt.route.services) {
      if (s.pid !== null && !rt.children.has(s.name) && !isProcessAlive(s.pid, s.startTime)) return s;
    }
    return null;
  }

  function checkLiveness(rt: Runtime) {
    const dead = deadService(rt);
    if (dead) void fail(rt, `${dead.name} (pid ${dead.pid}) is no longer running; see ${dead.logFile}`);
  }

  // ---- status --------------------------------------------------------------------------------

  function statusOf(rt: Runtime | undefined, attemptId: string): PodStatus {
    if (!rt || rt.route.attemptId !== attemptId) return { phase: 'missing', containers: [] };
    const { route } = rt;
    const waiting = rt.progress?.message;
    const containers: ContainerStatus[] = route.services.map((s) => ({
      name: s.name,
      ready: s.ready,
      ...(!s.ready && route.phase === 'provisioning'
        ? { message: s.pid === null ? (waiting ?? 'waiting to start') : 'starting' }
        : {}),
    }));
    const phase: PodStatus['phase'] =
      route.phase === 'provisioning' ? 'pending' : route.phase === 'running' ? 'running' : route.phase;
    const message = route.message ?? (route.phase === 'provisioning' ? waiting : undefined);
    const endpoints: SessionEndpoints = localEndpoints(route.sessionId);
    return { phase, containers, ...(message ? { message } : {}), endpoints };
  }

  // ---- re-adoption ---------------------------------------------------------------------------

  async function adopt(route: RouteFile): Promise<void> {
    let paths: SessionPaths;
    try {
      paths = sessionPaths(options.dataDir, route.sessionId);
    } catch {
      log.warn({ sessionId: route.sessionId }, 'route file with an invalid session id ignored');
      return;
    }
    const rt: Runtime = {
      route,
      paths,
      children: new Map(),
      abort: null,
      provisioning: null,
      progress: null,
      stopping: false,
    };
    runtimes.set(route.sessionId, rt);
    if (!ACTIVE.has(route.phase)) return;
    if (route.phase === 'provisioning') {
      await stopRuntime(
        rt,
        'failed',
        'Provisioning was interrupted by a restart of the Volundr API; start the session again.',
      );
      return;
    }
    for (const s of route.services) {
      const alive = s.pid !== null && isProcessAlive(s.pid, s.startTime);
      const healthy =
        alive &&
        s.port !== null &&
        (s.readinessPath === null || (await isHttpOk(`http://127.0.0.1:${s.port}${s.readinessPath}`)));
      if (!healthy) {
        const why = alive ? 'does not answer its health check' : 'stopped while the Volundr API was not running';
        await stopRuntime(rt, 'failed', `${s.name} ${why}; see ${s.logFile}. Start the session again.`);
        return;
      }
    }
    ports.reserve(route.services.flatMap((s) => (s.port === null ? [] : [s.port])));
    log.info({ sessionId: route.sessionId, attemptId: route.attemptId }, 're-adopted a running session');
  }

  for (const entry of await listRouteFiles(options.dataDir)) {
    if (entry.ok) await adopt(entry.route);
    else log.warn({ file: entry.file, error: entry.error }, 'damaged route file ignored');
  }

  // Re-adopted processes have no exit event: poll their pids while someone watches.
  let watchers = 0;
  const liveness = setInterval(() => {
    if (watchers === 0) return;
    for (const rt of runtimes.values()) checkLiveness(rt);
  }, 1_000);
  liveness.unref();

  const manager: LocalPodManager = {
    start,

    async find(attempt) {
      const rt = runtimes.get(attempt.sessionId);
      return rt && rt.route.attemptId === attempt.id ? handleOf(rt.route, rt.paths) : null;
    },

    async stop(handle) {
      const { id, attemptId } = checkHandle(handle);
      await locked(id, async () => {
        const rt = runtimes.get(id);
        if (!rt || rt.route.attemptId !== attemptId) return; // a newer start owns the session now
        if (ACTIVE.has(rt.route.phase)) await stopRuntime(rt);
        else if (rt.route.phase === 'failed') await stopRuntime(rt, 'failed', rt.route.message);
        log.info({ sessionId: id }, 'stopped');
      });
    },

    async status(handle) {
      const { id, attemptId } = checkHandle(handle);
      const rt = runtimes.get(id);
      if (rt) checkLiveness(rt);
      return statusOf(rt, attemptId);
    },

    watch(handles, onChange) {
      const watched = new Map(handles.map((h) => [checkHandle(h).id, h]));
      const listener = (sessionId: string) => {
        const handle = watched.get(sessionId);
        if (!handle) return;
        onChange(handle, statusOf(runtimes.get(sessionId), handle.attemptId));
      };
      changes.on('change', listener);
      watchers++;
      return () => {
        changes.off('change', listener);
        watchers--;
      };
    },

    async delete(handle, { removeWorkspace }) {
      const { id, attemptId } = checkHandle(handle);
      const paths = sessionPaths(options.dataDir, id);
      await locked(id, async () => {
        const rt = runtimes.get(id);
        // Deleting an older attempt's pod must not touch a newer start, unless the session goes.
        if (rt && rt.route.attemptId !== attemptId && !removeWorkspace) return;
        if (rt) await stopRuntime(rt);
        runtimes.delete(id);
        await removeRouteFile(options.dataDir, id);
        await rm(paths.secretsDir, { recursive: true, force: true });
        if (removeWorkspace) await rm(paths.sessionDir, { recursive: true, force: true });
        changed(id);
        log.info({ sessionId: id, removeWorkspace }, 'deleted');
      });
    },

    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },

    list: () => [...runtimes.values()].map((rt) => summaryOf(rt.route)),

    listOrphans(knownSessionIds) {
      const known = new Set(knownSessionIds);
      return [...runtimes.values()].filter((rt) => !known.has(rt.route.sessionId)).map((rt) => summaryOf(rt.route));
    },

    async stopOrphans(knownSessionIds) {
      const orphans = manager.listOrphans(knownSessionIds);
      for (const orphan of orphans) {
        await locked(orphan.sessionId, async () => {
          const rt = runtimes.get(orphan.sessionId);
          if (!rt) return;
          await stopRuntime(rt);
          runtimes.delete(orphan.sessionId);
          await removeRouteFile(options.dataDir, orphan.sessionId);
          log.info({ sessionId: orphan.sessionId }, 'stopped an orphaned session (no session row)');
        });
      }
      return orphans.map((o) => o.sessionId);
    },

    close() {
      clearInterval(liveness);
      changes.removeAllListeners();
      for (const { timer } of pendingLines.values()) clearTimeout(timer);
      pendingLines.clear();
      progressListeners.clear();
    },
  };
  return manager;
}

/** `{ use: "@volundr/adapter-local/local-pod-manager#localPodManager", dataDir, oidc, ... }` */
export const localPodManager = defineAdapter({
  port: 'podManager',
  options: ZLocalPodManagerOptions,
  requires: ['logger', 'sessionSecrets'],
  create: (options, deps: { logger: Logger; sessionSecrets: SessionSecrets }) =>
    createLocalPodManager(options, { logger: deps.logger, sessionSecrets: deps.sessionSecrets }),
});

/** Re-reads a session's route file (for tools that run outside the API, e.g. `volundr status`). */
export const readLocalRoute = readSessionRoute;
