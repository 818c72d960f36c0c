import type { Session } from '@volundr/contracts/sessions';
import type { SessionRecord } from './session-record';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Views of frozen records: a frozen record never changes, so neither does its view. */
const views = new WeakMap<SessionRecord, Session>();

/**
 * The API view of a session: explicit fields only (no lease, runtime, spec or launch internals).
 * A frozen record (a list page's unchanged row) gets the same frozen view each time.
 */
export function toSessionView(s: SessionRecord): Session {
  if (!Object.isFrozen(s)) return viewOf(s);
  let view = views.get(s);
  if (!view) {
    view = Object.freeze(viewOf(s));
    views.set(s, view);
  }
  return view;
}

function viewOf(s: SessionRecord): Session {
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
