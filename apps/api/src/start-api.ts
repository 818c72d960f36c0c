import type { AddressInfo } from 'node:net';
import { systemClock } from '@volundr/core/shared/ports/clock';
import type { AppServices } from './composition/app-services';
import { composeAccounts } from './composition/compose-accounts';
import { composeAuthorization } from './composition/compose-authorization';
import { composeChronicles } from './composition/compose-chronicles';
import { composeDatabase } from './composition/compose-database';
import { composeIdentity } from './composition/compose-identity';
import { composeSessionSecrets } from './composition/compose-session-secrets';
import { composeSessions } from './composition/compose-sessions';
import { type LoadConfigOptions, loadConfig } from './config/load-config';
import { createHttpServer, type ReadinessCheck, type Route } from './http/server';
import { createTrpcRoute } from './http/trpc-route';
import { type AppLogger, createLogger } from './logger';
import { buildOpenApi } from './rest/openapi';
import { createRestRoute } from './rest/rest-handler';
import { restRoutes } from './rest/routes';
import { appRouter } from './routers/app-router';
import { VERSION } from './version';

export interface StartedApi {
  port: number;
  publicUrl: string;
  /** The embedded provider's issuer in local mode. */
  issuer: string | null;
  /** The generated admin password on the very first start in local mode (print once). */
  adminPassword: string | null;
  logger: AppLogger;
  services: AppServices;
  /** The HTTP server (tests wait on its events). */
  server: import('node:http').Server;
  stop(): Promise<void>;
}

export interface StartApiOptions extends LoadConfigOptions {
  /** Where logs go (default stdout). */
  logDestination?: Parameters<typeof createLogger>[1];
}

/**
 * Loads configuration, listens, composes every port, then reports ready. The server listens
 * before composition so `/healthz` answers at once and `/readyz` tells when it is done.
 */
export async function startApi(options: StartApiOptions = {}): Promise<StartedApi> {
  const { config, sources } = loadConfig(options);
  const logger = createLogger(config.logging.level, options.logDestination);
  logger.info({ sources, mode: config.mode, version: VERSION }, 'configuration loaded');

  let services: AppServices | null = null;
  const readiness: ReadinessCheck[] = [
    { name: 'composition', check: async () => (services ? { ok: true } : { ok: false, detail: 'starting' }) },
  ];
  const routes: Route[] = [];
  const http = createHttpServer({ logger, routes, readiness });
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.server.port, config.server.host, () => resolve());
  });
  const port = (http.server.address() as AddressInfo).port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const internalUrl = `http://${host}:${port}`;
  const publicUrl = (config.server.publicUrl ?? internalUrl).replace(/\/$/, '');

  const closers: Array<() => Promise<void>> = [];
  try {
    const db = await composeDatabase(config, logger);
    closers.push(() => db.database.close());
    const deps = { clock: systemClock, logger, database: db.database };
    const accounts = await composeAccounts(config, db.database, systemClock, logger, deps);
    const identity = await composeIdentity(config, { publicUrl, internalUrl }, logger, deps, accounts.verifyToken);
    if (identity.embedded) {
      const embedded = identity.embedded;
      closers.push(() => embedded.close());
      routes.push({ prefix: embedded.mountPath, handle: (req, res) => embedded.handler(req, res) });
    }
    const authorization = await composeAuthorization(config, deps);
    readiness.push(...db.readiness);
    const ids = { next: () => crypto.randomUUID() };
    const sessions = await composeSessions({
      config,
      database: db.database,
      authorization,
      tenants: accounts.tenants,
      sessionSecrets: composeSessionSecrets({ tokens: accounts.tokens, clock: systemClock, ids, publicUrl }),
      authConfig: identity.authConfig,
      urls: { publicUrl, internalUrl },
      clock: systemClock,
      ids,
      logger,
    });
    // Closed before the database (closers run in reverse): the reconciler lets go of its leases.
    closers.push(() => sessions.close());
    const chronicles = composeChronicles({
      config: config.chronicles,
      database: db.database,
      authorization,
      clock: systemClock,
      ids,
      logger,
      sessions: { createSession: sessions.sessions.create, reportActivity: sessions.sessions.reportActivity },
    });
    closers.push(() => chronicles.stopJobs());

    const composed: AppServices = {
      config,
      version: VERSION,
      logger,
      clock: systemClock,
      ids,
      database: db.database,
      identity: identity.identity,
      authConfig: identity.authConfig,
      authorization,
      accounts,
      chronicles,
      sessions: sessions.sessions,
      presets: sessions.presets,
      catalog: sessions.catalog,
      sessionRuntime: sessions,
      provisionUser: accounts.provisionUser,
      readiness,
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
    const openApi = buildOpenApi(appRouter, restRoutes, { version: VERSION, serverUrl: publicUrl });
    routes.push(createTrpcRoute(appRouter, () => services));
    routes.push(
      createRestRoute({ router: appRouter, routes: restRoutes, services: () => services, openApi: () => openApi }),
    );
    services = composed;
    await sessions.start();
    chronicles.startJobs();
    logger.info({ port, publicUrl }, 'API ready');

    return {
      port,
      publicUrl,
      issuer: identity.embedded?.issuer ?? null,
      adminPassword: identity.embedded?.adminPassword ?? null,
      logger,
      services: composed,
      server: http.server,
      async stop() {
        // Live subscriptions (SSE) never end by themselves: end them first so draining does not wait.
        await sessions.close();
        await http.drain(config.server.shutdownTimeoutMs);
        await composed.close();
        logger.info({}, 'stopped');
        logger.flush();
      },
    };
  } catch (error) {
    await http.drain(1000);
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
