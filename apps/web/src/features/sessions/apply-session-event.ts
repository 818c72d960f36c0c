import type { SessionEvent } from '@volundr/contracts/session-events';
import type { Session } from '@volundr/contracts/sessions';

export interface AppliedEvent {
  sessions: Session[];
  /** The event says something the cached list cannot show by itself: fetch it again. */
  refetch: boolean;
}

/**
 * Patches cached sessions with one live event from `sessions.onState`, so the dashboard moves
 * a card the moment its state changes without asking the API again. Events that carry too
 * little to patch (a new session, renamed fields) ask for a refetch instead.
 */
export function applySessionEvent(sessions: Session[], event: SessionEvent): AppliedEvent {
  const index = sessions.findIndex((s) => s.id === event.sessionId);
  const current = sessions[index];
  switch (event.type) {
    case 'session_deleted':
      return { sessions: index === -1 ? sessions : sessions.filter((s) => s.id !== event.sessionId), refetch: false };
    case 'state_changed': {
      if (!current) return { sessions, refetch: true };
      // Every transition writes `updatedAt`: a session at least as new as the event already
      // shows it (a replay after a reconnect, or a list fetched after the change).
      if (current.updatedAt >= event.createdAt) return { sessions, refetch: false };
      const patched: Session = {
        ...current,
        state: event.data.to,
        stateReason: event.data.reason,
        updatedAt: event.createdAt,
        ...(event.data.to === 'running' ? { runningSince: event.createdAt } : {}),
        ...(event.data.to === 'stopped' ? { stoppedAt: event.createdAt } : {}),
        ...(event.data.to === 'archived' ? { archivedAt: event.createdAt } : {}),
        ...(event.data.from === 'archived' ? { archivedAt: null } : {}),
        ...(event.data.to === 'provisioning' ? { provisioningStartedAt: event.createdAt } : {}),
      };
      // Entering `running`/`stopped` changes endpoints too: patch now, then fetch the rest.
      const refetch = event.data.to === 'running' || event.data.to === 'stopped';
      return { sessions: sessions.map((s, i) => (i === index ? patched : s)), refetch };
    }
    case 'activity_changed': {
      if (!current) return { sessions, refetch: false };
      const patched: Session = {
        ...current,
        activityState: event.data.state,
        activityMetadata: event.data.metadata,
        lastActivityAt: event.createdAt,
      };
      return { sessions: sessions.map((s, i) => (i === index ? patched : s)), refetch: false };
    }
    case 'session_created':
    case 'session_updated':
      return { sessions, refetch: true };
    default:
      // Provisioning steps: the provisioning view follows them; the list has nothing to show.
      return { sessions, refetch: false };
  }
}

/**
 * Of two snapshots of one session, the newer (`updatedAt` moves with every write). A refetch
 * or a mutation's answer that left the server before a live event must not undo that event.
 */
export function newerSession(cached: Session | undefined, incoming: Session): Session {
  return cached && cached.id === incoming.id && cached.updatedAt > incoming.updatedAt ? cached : incoming;
}

/** A fetched list merged with what the cache knows: each session keeps its newer snapshot. */
export function mergeSessionLists(cached: Session[] | undefined, fetched: Session[]): Session[] {
  if (!cached) return fetched;
  const byId = new Map(cached.map((s) => [s.id, s]));
  return fetched.map((s) => newerSession(byId.get(s.id), s));
}
