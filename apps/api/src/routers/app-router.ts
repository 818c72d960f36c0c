import { router } from '../trpc/trpc';
import { auditRouter } from './audit/router';
import { authRouter } from './auth/router';
import { chroniclesRouter } from './chronicles/router';
import { timelineRouter } from './chronicles/timeline-router';
import { usageRouter } from './chronicles/usage-router';
import { credentialsRouter } from './credentials/router';
import { eventsRouter } from './events/router';
import { gitRouter } from './git/router';
import { integrationsRouter } from './integrations/router';
import { me } from './me/me';
import { modelsRouter } from './models/router';
import { presetsRouter } from './presets/router';
import { profilesRouter } from './profiles/router';
import { reportsRouter } from './reports/router';
import { sessionsRouter } from './sessions/router';
import { systemRouter } from './system/router';
import { templatesRouter } from './templates/router';
import { tenantsRouter } from './tenants/router';
import { tokensRouter } from './tokens/router';
import { usersRouter } from './users/router';

/** Every procedure of the API. Each area wires its procedures in its own `router.ts`. */
export const appRouter = router({
  auth: authRouter,
  chronicles: chroniclesRouter,
  reports: reportsRouter,
  usage: usageRouter,
  timeline: timelineRouter,
  me,
  sessions: sessionsRouter,
  presets: presetsRouter,
  templates: templatesRouter,
  profiles: profilesRouter,
  models: modelsRouter,
  system: systemRouter,
  tokens: tokensRouter,
  events: eventsRouter,
  audit: auditRouter,
  git: gitRouter,
  credentials: credentialsRouter,
  integrations: integrationsRouter,
  tenants: tenantsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
