import type { Integrations } from './ports/integrations';
import type { SessionContext } from './session-context';
import type { SessionRecord } from './session-record';

/**
 * The context the pipeline runs with, rebuilt from the stored session so every attempt sees
 * the same launch. Integrations named by the launch that no longer exist or were disabled are
 * left out (a restart must not be blocked by a removed integration).
 */
export async function loadSessionContext(integrations: Integrations, session: SessionRecord): Promise<SessionContext> {
  const wanted = new Set(session.launch.integrationIds);
  const connections =
    wanted.size === 0
      ? []
      : (await integrations.forOwner({ ownerId: session.ownerId, tenantId: session.tenantId })).filter(
          (c) => c.enabled && wanted.has(c.id),
        );
  return { session, launch: session.launch, attempt: session.runtime.attempt, integrations: connections };
}
