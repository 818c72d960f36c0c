import type { SessionRecord } from './session-record';

export interface LifetimePolicy {
  /** Stop running sessions after this long whatever they do (null: no cap). */
  maxLifetimeMs: number | null;
}

const minutes = (ms: number) => Math.round(ms / 60_000);
const duration = (ms: number) => {
  const m = minutes(ms);
  return m >= 120 && m % 60 === 0 ? `${m / 60} hours` : `${m} minutes`;
};

/**
 * Why a running session should be stopped now, or null. Idle means the broker reports the
 * agent idle and nothing happened for `idleTimeoutMinutes` (an agent working or a tool
 * running counts as activity even with no browser attached).
 */
export function expiryReason(session: SessionRecord, now: Date, policy: LifetimePolicy): string | null {
  if (session.state !== 'running') return null;
  const since = session.runningSince ?? session.updatedAt;
  if (policy.maxLifetimeMs !== null && now.getTime() - since.getTime() >= policy.maxLifetimeMs) {
    return `Stopped automatically after the maximum session lifetime of ${duration(policy.maxLifetimeMs)}; start it again to continue (the workspace is kept)`;
  }
  if (session.idleTimeoutMinutes !== null && session.activityState === 'idle') {
    const last = session.lastActivityAt && session.lastActivityAt > since ? session.lastActivityAt : since;
    if (now.getTime() - last.getTime() >= session.idleTimeoutMinutes * 60_000) {
      return `Stopped automatically after ${session.idleTimeoutMinutes} minutes without activity; start it again to continue (the workspace is kept)`;
    }
  }
  return null;
}
