import type { Session } from '@volundr/contracts/sessions';
import type { SessionRecord } from './session-record';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API view of a session: explicit fields only (no lease, runtime, spec or launch internals). */
export function toSessionView(s: SessionRecord): Session {
  return {
    id: s.id,
    name: s.name,
    ownerId: s.ownerId,
    tenantId: s.tenantId,
    model: s.model,
    cli: s.launch.cli,
    source: s.source,
    state: s.state,
    stateReason: s.stateReason,
    endpoints: s.endpoints,
    templateName: s.templateName,
    profileName: s.profileName,
    presetId: s.presetId,
    parentChronicleId: s.parentChronicleId,
    terminalRestricted: s.launch.terminalRestricted,
    idleTimeoutMinutes: s.idleTimeoutMinutes,
    activityState: s.activityState,
    activityMetadata: s.activityMetadata,
    lastActivityAt: iso(s.lastActivityAt),
    tokensUsed: s.tokensUsed,
    costUsd: s.costUsd,
    messageCount: s.messageCount,
    provisioningStartedAt: iso(s.provisioningStartedAt),
    runningSince: iso(s.runningSince),
    stoppedAt: iso(s.stoppedAt),
    archivedAt: iso(s.archivedAt),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
