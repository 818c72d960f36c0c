import type { IntegrationConnection } from '../sessions/ports/integrations';
import type { CleanupContext, SessionContext } from '../sessions/session-context';
import type { SessionRecord } from '../sessions/session-record';
import { aSession } from './session-builder';

/** The context a contributor sees for `session` (a fresh starting session by default). */
export function aSessionContext(
  session: SessionRecord = aSession().starting().build(),
  integrations: IntegrationConnection[] = [],
): SessionContext {
  return { session, launch: session.launch, attempt: session.runtime.attempt, integrations };
}

export function aCleanupContext(
  session: SessionRecord = aSession().stopping().build(),
  reason: CleanupContext['reason'] = 'stop',
  removeWorkspace = false,
): CleanupContext {
  return { session, launch: session.launch, reason, removeWorkspace };
}
