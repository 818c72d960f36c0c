import type { AuthConfig } from '@volundr/contracts/auth';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import type { Identity } from '@volundr/core/identity/ports/identity';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Ids } from '@volundr/core/shared/ports/ids';
import type { Database } from '@volundr/db/client';
import type { Config } from '../config/schema';
import type { ReadinessCheck } from '../http/server';
import type { AppLogger } from '../logger';
import type { ComposedAccounts } from './compose-accounts';
import type { ComposedChronicles } from './compose-chronicles';
import type { ComposedEvents } from './compose-events';
import type { ComposedGitCredentials } from './compose-git-credentials';
import type { CatalogUseCases, ComposedSessions, PresetUseCases, SessionUseCases } from './compose-sessions';

/** Everything the composition root built: ports, adapters and use cases, handed to procedures via the context. */
export interface AppServices {
  config: Config;
  version: string;
  logger: AppLogger;
  clock: Clock;
  ids: Ids;
  database: Database;
  identity: Identity;
  authConfig: AuthConfig;
  authorization: Authorization;
  /** Users, tenants, personal access tokens, provisioning. */
  accounts: ComposedAccounts;
  /** Sessions use cases (procedures call these; authorization is inside each). */
  sessions: SessionUseCases;
  presets: PresetUseCases;
  /** Templates, profiles and models from the configuration. */
  catalog: CatalogUseCases;
  /** The sessions repository, the PodManager and this process's reconciler (for tests and tools). */
  sessionRuntime: Pick<ComposedSessions, 'sessionsRepository' | 'podManager' | 'reconciler'>;
  /** Stored credentials (metadata + secret backend), people's integrations, the git providers. */
  gitCredentials: ComposedGitCredentials;
  /** Chronicles: report ingestion, timelines, usage, reforge, completion and retention jobs. */
  chronicles?: ComposedChronicles;
  /** The event pipeline: dispatcher, sinks' health, the audit log. */
  events?: ComposedEvents;
  readiness: ReadinessCheck[];
  /** JIT provisioning of a principal on its first request (idempotent). */
  provisionUser?: (principal: Principal) => Promise<void>;
  /** Closes what was opened, in reverse order. */
  close(): Promise<void>;
}
