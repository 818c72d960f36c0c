import type { AddressInfo } from 'node:net';
import { auditedAuthorization } from '@volundr/core/events/audited-authorization';
import { systemClock } from '@volundr/core/shared/ports/clock';
import { createAuditLogRepository } from '@volundr/db/repositories/audit-log';
import type { AppServices } from './composition/app-services';
import { startAuditRetention } from './composition/audit-retention';
import { builtinModules } from './composition/builtin-modules';
import { composeAccounts } from './composition/compose-accounts';
import { composeAuthorization } from './composition/compose-authorization';
import { composeChronicles } from './composition/compose-chronicles';
import { composeDatabase } from './composition/compose-database';
import { composeEvents } from './composition/compose-events';
import { composeGitCredentials } from './composition/compose-git-credentials';
import { composeIdentity } from './composition/compose-identity';
import { composeMetrics } from './composition/compose-metrics';
import { composeSessionSecrets } from './composition/compose-session-secrets';
import { composeSessions } from './composition/compose-sessions';
import { composeTelemetry } from './composition/compose-telemetry';
import { registerModules } from './composition/module-table';
import { type LoadConfigOptions, loadConfig } from './config/load-config';
import { createMetricsRoute } from './http/metrics-route';
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
  registerModules(builtinModules);
  const { config, sources } = loadConfig(options);
  const logger = createLogger(config.logging.level, options.logDestination);
  logger.info({ sources, mode: config.mode, version: VERSION }, 'configuration loaded');

  let services: AppServices | null = null;
  const readiness: ReadinessCheck[] = [
    { name: 'composition', check: async () => (services ? { ok: true } : { ok: false, detail: 'starting' }) },
  ];
  const routes: Route[] = [];
  const telemetry = composeTelemetry(config.telemetry, VERSION, logger);
  const metrics = config.metrics.enabled ? composeMetrics(config.metrics, routerShape()) : null;
  if (metrics) routes.push(createMetricsRoute(metrics.registry));
  const http = createHttpServer({
    logger,
    routes,
    readiness,
    onRequestStarted: (info) => metrics?.requestStarted(info),
    onRequestFinished: (info) => {
      metrics?.requestFinished(info);
      const label = metrics?.labelOf(info.method, info.path, info.route);
      if (!label?.subscription) telemetry.recordRequest({ ...info, route: label?.labels.join(',') ?? info.route });
    },
  });
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
    closers.push(() => telemetry.shutdown());
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
    const audit = createAuditLogRepository(db.database);
    // Admins acting on others' resources (and refusals) are recorded in the audit log.
    const authorization = auditedAuthorization(await composeAuthorization(config, deps), {
      audit,
      clock: systemClock,
      logger,
    });
    readiness.push(...db.readiness);
    const ids = { next: () => crypto.randomUUID() };
    // Stored credentials, integrations and git providers: sessions read credentials through them.
    const gitCredentials = await composeGitCredentials({
      config,
      database: db.database,
      clock: systemClock,
      ids,
      logger,
      publicUrl,
    });
    readiness.push(...gitCredentials.readiness);
    closers.push(() => gitCredentials.stopJobs());
    const sessions = await composeSessions({
      config,
      database: db.database,
      authorization,
      tenants: accounts.tenants,
      sessionSecrets: {
        ...composeSessionSecrets({ tokens: accounts.tokens, clock: systemClock, ids, publicUrl }),
        secretValue: gitCredentials.secretValue,
      },
      adapterDeps: gitCredentials.adapterDeps,
      authConfig: identity.authConfig,
      urls: { publicUrl, internalUrl },
      clock: systemClock,
      ids,
      logger,
      tracer: telemetry.tracer,
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
    const events = await composeEvents({
      config: config.events,
      database: db.database,
      authorization,
      audit,
      clock: systemClock,
      logger,
      internalSinks: [
        ...(metrics ? [{ name: 'metrics', sink: metrics.sink }] : []),
        ...(telemetry.chatTurnSink ? [{ name: 'otel', sink: telemetry.chatTurnSink }] : []),
      ],
      ...(metrics ? { hooks: { onDelivered: metrics.delivered, onFailed: metrics.deliveryFailed } } : {}),
    });
    // Stopped before the sessions and the database: leases released, sinks closed.
    closers.push(() => events.stop());

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
      events,
      sessions: sessions.sessions,
      presets: sessions.presets,
      catalog: sessions.catalog,
      sessionRuntime: sessions,
      gitCredentials,
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
    gitCredentials.startJobs();
    chronicles.startJobs();
    const auditRetention = startAuditRetention(config.audit, audit, systemClock, logger);
    if (auditRetention) closers.push(() => auditRetention.stop());
    metrics?.attach({ database: db.database, outbox: events.outbox, sinks: events.dispatcher.status });
    await events.start();
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

/** The procedures and REST routes, for request labels of bounded cardinality. */
function routerShape() {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def
    .procedures;
  const names = Object.keys(procedures);
  return {
    procedures: new Set(names),
    subscriptions: new Set(names.filter((n) => procedures[n]?._def.type === 'subscription')),
    restRoutes,
  };
}
