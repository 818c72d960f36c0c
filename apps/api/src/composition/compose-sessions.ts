import type { AuthConfig } from '@volundr/contracts/auth';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { listModels } from '@volundr/core/catalog/list-models';
import { listProfiles } from '@volundr/core/catalog/list-profiles';
import { listTemplates } from '@volundr/core/catalog/list-templates';
import { profileByName } from '@volundr/core/catalog/profile-by-name';
import { templateByName } from '@volundr/core/catalog/template-by-name';
import type { Tracer } from '@volundr/core/events/ports/tracer';
import type { Tenants } from '@volundr/core/identity/ports/tenants';
import { createPreset } from '@volundr/core/presets/create-preset';
import { deletePreset } from '@volundr/core/presets/delete-preset';
import { listPresets } from '@volundr/core/presets/list-presets';
import { presetById } from '@volundr/core/presets/preset-by-id';
import { updatePreset } from '@volundr/core/presets/update-preset';
import { archiveSession } from '@volundr/core/sessions/archive-session';
import { archiveStoppedSessions } from '@volundr/core/sessions/archive-stopped-sessions';
import { defaultContributors } from '@volundr/core/sessions/contributors/default-contributors';
import { createSession } from '@volundr/core/sessions/create-session';
import { deleteSession } from '@volundr/core/sessions/delete-session';
import { listSessions } from '@volundr/core/sessions/list-sessions';
import { openSessionService } from '@volundr/core/sessions/open-session-service';
import type { PodManager } from '@volundr/core/sessions/ports/pod-manager';
import type { Quotas } from '@volundr/core/sessions/ports/quotas';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import type { Sessions } from '@volundr/core/sessions/ports/sessions';
import { reportSessionActivity } from '@volundr/core/sessions/report-session-activity';
import { restoreSession } from '@volundr/core/sessions/restore-session';
import { sessionById } from '@volundr/core/sessions/session-by-id';
import { startSession } from '@volundr/core/sessions/start-session';
import { stopSession } from '@volundr/core/sessions/stop-session';
import { updateSession } from '@volundr/core/sessions/update-session';
import { watchSessionEvents } from '@volundr/core/sessions/watch-session-events';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Ids } from '@volundr/core/shared/ports/ids';
import type { Database } from '@volundr/db/client';
import { createChroniclesRepository } from '@volundr/db/repositories/chronicles';
import { createPresetsRepository } from '@volundr/db/repositories/presets';
import { createSessionEventsRepository, type SessionEventsRepository } from '@volundr/db/repositories/session-events';
import { createSessionsRepository } from '@volundr/db/repositories/sessions';
import type { Config } from '../config/schema';
import type { AppLogger } from '../logger';
import { composeCatalog } from './compose-catalog';
import { composeContributorPorts } from './compose-contributor-ports';
import { composePodManager } from './compose-pod-manager';
import { type ComposedReconciler, composeReconciler } from './compose-reconciler';

/** The sessions use cases, built once with their ports (procedures call these). */
export interface SessionUseCases {
  create: ReturnType<typeof createSession>;
  start: ReturnType<typeof startSession>;
  stop: ReturnType<typeof stopSession>;
  archive: ReturnType<typeof archiveSession>;
  restore: ReturnType<typeof restoreSession>;
  remove: ReturnType<typeof deleteSession>;
  update: ReturnType<typeof updateSession>;
  byId: ReturnType<typeof sessionById>;
  list: ReturnType<typeof listSessions>;
  archiveStopped: ReturnType<typeof archiveStoppedSessions>;
  watch: ReturnType<typeof watchSessionEvents>;
  reportActivity: ReturnType<typeof reportSessionActivity>;
  openService: ReturnType<typeof openSessionService>;
}

export interface PresetUseCases {
  list: ReturnType<typeof listPresets>;
  byId: ReturnType<typeof presetById>;
  create: ReturnType<typeof createPreset>;
  update: ReturnType<typeof updatePreset>;
  remove: ReturnType<typeof deletePreset>;
}

export interface CatalogUseCases {
  listTemplates: ReturnType<typeof listTemplates>;
  templateByName: ReturnType<typeof templateByName>;
  listProfiles: ReturnType<typeof listProfiles>;
  profileByName: ReturnType<typeof profileByName>;
  listModels: ReturnType<typeof listModels>;
}

export interface ComposedSessions {
  sessions: SessionUseCases;
  presets: PresetUseCases;
  catalog: CatalogUseCases;
  /** The repository and runtime, for tests and tools that inspect them. */
  sessionsRepository: Sessions;
  podManager: PodManager;
  reconciler: ComposedReconciler;
  /** Starts the reconciler (call once everything is composed). */
  start(): Promise<void>;
  /** Stops the reconciler, ends live subscriptions, lets go of the runtime. */
  close(): Promise<void>;
}

export interface ComposeSessionsInput {
  config: Config;
  /** More ports adapters may ask for (`requires`): the stored credentials and integrations. */
  adapterDeps?: Readonly<Record<string, unknown>>;
  database: Database;
  authorization: Authorization;
  tenants: Tenants;
  /** Out-of-band secrets for pod managers (the broker's report credential). */
  sessionSecrets: SessionSecrets;
  authConfig: AuthConfig;
  urls: { publicUrl: string; internalUrl: string };
  clock: Clock;
  ids: Ids;
  logger: AppLogger;
  /** Provisioning spans (OpenTelemetry when configured). */
  tracer?: Tracer;
}

/**
 * Sessions, presets and the catalog: repositories on the database, the runtime and contributor
 * ports from configuration, the ten contributors (plus configured ones), the reconciler of this
 * process, and every use case wired to them.
 */
export async function composeSessions(input: ComposeSessionsInput): Promise<ComposedSessions> {
  const { config, database, authorization, clock, ids, logger } = input;
  const catalog = composeCatalog(config);
  const sessions = createSessionsRepository(database);
  const events: SessionEventsRepository = createSessionEventsRepository(database);
  const presets = createPresetsRepository(database);
  const adapterDeps = { clock, logger, database, sessionSecrets: input.sessionSecrets, ...input.adapterDeps };

  const podManager = await composePodManager(config, input.urls, input.authConfig, adapterDeps);
  const ports = await composeContributorPorts(config, adapterDeps);
  const contributors = defaultContributors(ports, {
    core: { apiUrl: input.urls.publicUrl, ide: config.sessions.ide },
    extra: ports.extraContributors,
  });
  // The tenant row holds the quota; a tenant that does not exist has no sessions either.
  const quotas: Quotas = {
    forTenant: async (tenantId) => ({
      maxRunningSessions: (await input.tenants.byId(tenantId))?.maxRunningSessions ?? null,
    }),
  };
  const reconciler = composeReconciler({
    config: config.reconciler,
    database,
    sessions,
    events,
    podManager,
    integrations: ports.integrations,
    contributors,
    clock,
    logger,
    ...(input.tracer ? { tracer: input.tracer } : {}),
  });
  const notifyWork = reconciler.notifyWork;

  const base = { sessions, events, authorization, clock };
  const catalogPorts = { models: catalog.models, templates: catalog.templates, profiles: catalog.profiles };
  const presetDeps = { presets, authorization, clock, ids, ...catalogPorts };
  const useCases: SessionUseCases = {
    create: createSession({
      ...base,
      ...catalogPorts,
      presets,
      gitRepositories: ports.gitRepositories,
      integrations: ports.integrations,
      quotas,
      ids,
      defaultIdleTimeoutMinutes: config.sessions.defaultIdleTimeoutMinutes,
      notifyWork,
    }),
    start: startSession({ ...base, quotas, notifyWork }),
    stop: stopSession({ ...base, notifyWork }),
    archive: archiveSession({ ...base, notifyWork }),
    restore: restoreSession(base),
    // The chronicles table is the SessionChronicles port (a delete may remove them too).
    remove: deleteSession({
      ...base,
      podManager,
      contributors,
      logger,
      chronicles: createChroniclesRepository(database),
    }),
    update: updateSession({ ...base, models: catalog.models }),
    byId: sessionById(base),
    list: listSessions(base),
    archiveStopped: archiveStoppedSessions({ ...base, notifyWork }),
    watch: watchSessionEvents(base),
    reportActivity: reportSessionActivity(base),
    openService: openSessionService(base),
  };

  let closing: Promise<void> | null = null;
  return {
    sessions: useCases,
    presets: {
      list: listPresets(presetDeps),
      byId: presetById(presetDeps),
      create: createPreset(presetDeps),
      update: updatePreset(presetDeps),
      remove: deletePreset(presetDeps),
    },
    catalog: {
      listTemplates: listTemplates(catalogPorts),
      templateByName: templateByName(catalogPorts),
      listProfiles: listProfiles(catalogPorts),
      profileByName: profileByName(catalogPorts),
      listModels: listModels(catalogPorts),
    },
    sessionsRepository: sessions,
    podManager,
    reconciler,
    start: () => reconciler.start(),
    close() {
      closing ??= (async () => {
        await reconciler.stop();
        await events.close();
        const closable = podManager as Partial<{ close(): void | Promise<void> }>;
        await closable.close?.();
      })();
      return closing;
    },
  };
}
