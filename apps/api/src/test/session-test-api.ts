import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import type { Principal } from '@volundr/contracts/principal';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import { appRouter } from '../routers/app-router';
import { type StartedApi, startApi } from '../start-api';
import { createContextInner } from '../trpc/context';
import { createCallerFactory } from '../trpc/trpc';

/** The file pod manager of the testkit, by absolute path as a configuration names it. */
export const FILE_POD_MANAGER = `${join(import.meta.dirname, '../../../../packages/testkit/src/file-pod-manager.ts')}#filePodManager`;

export interface SessionTestApiOptions {
  driver: 'pglite' | 'postgres';
  /** The file pod manager's readiness delay (default 0: ready at once). */
  readyAfterMs?: number;
  /** Extra configuration merged over the defaults (e.g. `reconciler`). */
  config?: Record<string, unknown>;
}

export interface SessionTestApi {
  api: StartedApi;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  dataDir: string;
  /** The file the pod manager records starts and stops in. */
  podFile: string;
  /** A tRPC caller acting as `principal` (provisioned first, as a first request would). */
  caller(principal: Principal, signal?: AbortSignal): Promise<Caller>;
  /** A bearer token of the embedded provider for `user` (tenant `default`). */
  token(user: string, roles?: Principal['roles']): Promise<string>;
  /** Sets the tenant's running-sessions quota (it exists once a user of it was provisioned). */
  setQuota(tenantId: string, maxRunningSessions: number): Promise<void>;
  stop(): Promise<void>;
}

const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export const aPrincipal = (userId: string, tenantId = 'default'): Principal => ({
  userId,
  email: `${userId}@example.test`,
  name: userId,
  tenantId,
  roles: ['volundr:developer'],
});

/**
 * The API in this process on PGlite or a PostgreSQL database of its own, in local mode with
 * the embedded identity provider, the file pod manager, and a fast reconciler.
 */
export async function startSessionTestApi(options: SessionTestApiOptions): Promise<SessionTestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'volundr-sessions-'));
  const podFile = join(dataDir, 'pods.jsonl');
  const pg: TestDatabase | undefined = options.driver === 'postgres' ? await createTestDatabase() : undefined;
  const configFile = join(dataDir, 'volundr.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      logging: { level: 'warn' },
      reconciler: { pollIntervalMs: 100, leaseMs: 5_000 },
      ...options.config,
      adapters: {
        podManager: { use: FILE_POD_MANAGER, file: podFile, readyAfterMs: options.readyAfterMs ?? 0 },
        ...(options.config?.adapters as object | undefined),
      },
    }),
  );
  let api: StartedApi;
  try {
    api = await startApi({
      file: configFile,
      env: pg ? { DATABASE_URL: pg.url } : {},
      flags: { dataDir, 'server.port': 0 },
      logDestination: quiet,
    });
  } catch (error) {
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const services = api.services;
  return {
    api,
    base: `http://127.0.0.1:${api.port}`,
    dataDir,
    podFile,
    async caller(principal, signal) {
      await services.provisionUser?.(principal);
      return createCaller(createContextInner({ services, principal }), signal ? { signal } : {});
    },
    token: (user, roles) => mintDevToken({ dataDir, user, issuer: api.issuer!, ...(roles ? { roles } : {}) }),
    async setQuota(tenantId, maxRunningSessions) {
      await services.accounts.tenants.update(tenantId, { maxRunningSessions });
    },
    async stop() {
      await api.stop();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` returns a value (not undefined), polling every `everyMs`, up to `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
