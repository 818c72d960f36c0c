import type { PodHandle, PodManager, StartAttempt } from './ports/pod-manager';
import type { SessionRecord } from './session-record';

export const attemptOf = (session: Pick<SessionRecord, 'id' | 'runtime'>): StartAttempt | null =>
  session.runtime.attemptId
    ? { id: session.runtime.attemptId, sessionId: session.id, number: session.runtime.attempt }
    : null;

/**
 * The pod handle of the session's current attempt: the recorded one, or (after a crash between
 * submitting and recording) the one the PodManager finds for the recorded attempt id.
 */
export async function currentHandle(podManager: PodManager, session: SessionRecord): Promise<PodHandle | null> {
  if (session.runtime.handle) return session.runtime.handle;
  const attempt = attemptOf(session);
  return attempt ? podManager.find(attempt) : null;
}
