import type { SessionEvent } from '@volundr/contracts/session-events';
import type { Session, SessionState } from '@volundr/contracts/sessions';
import type { ApiClient } from '../api/api-client';
import { subscribe } from '../api/subscription';
import { CliError, exitCodes } from '../output';
import type { Progress } from '../ui/spinner';
import { stepOf } from './provisioning-steps';
import { getSession } from './session-api';

export interface WaitOptions {
  /** States that end the wait successfully. */
  until: readonly SessionState[];
  /**
   * Server time of the request being watched (the session's `updatedAt` it answered with, the
   * time its own event carries). The feed replays the session's whole history first; older
   * events belong to earlier attempts and are not shown or judged.
   */
  since: string;
  timeoutMs: number;
  progress: Progress;
}

const MAX_RECONNECTS = 5;

const stuckStates: Record<string, readonly SessionState[]> = {
  running: ['stopping', 'stopped', 'archived'],
  stopped: ['starting', 'provisioning', 'running'],
};

/**
 * Follows `sessions.onState` for one session, showing each provisioning step, until the
 * session reaches one of `until` (resolves with it), fails (exit 5 with the reason), or the
 * deadline passes. A dropped stream resumes after the last event id.
 */
export async function waitForSession(api: ApiClient, session: Session, options: WaitOptions): Promise<Session> {
  const since = Date.parse(options.since);
  const controller = new AbortController();
  let outcome: { session: Session } | { error: Error } | null = null;
  let lastEventId: string | undefined;

  const settle = (result: { session: Session } | { error: Error }) => {
    if (outcome) return;
    outcome = result;
    controller.abort();
  };
  const judge = (current: Session) => {
    if (options.until.includes(current.state)) return settle({ session: current });
    if (current.state === 'failed') {
      return settle({
        error: new CliError(
          `session ${current.name} failed: ${current.stateReason ?? 'no reason given'}`,
          `see: volundr sessions show ${current.name}; start it again: volundr sessions start ${current.name}`,
          exitCodes.workFailed,
        ),
      });
    }
    const target = options.until[0] ?? 'running';
    if (stuckStates[target]?.includes(current.state)) {
      settle({ error: new CliError(`session ${current.name} is ${current.state}, not ${target}`) });
    }
  };
  const check = () =>
    getSession(api, session.id).then(
      (current) => {
        // Only a settled state decides here: while in between, the events tell the story.
        if (options.until.includes(current.state) || current.state === 'failed') judge(current);
      },
      (error: unknown) => settle({ error: error as Error }),
    );
  const onEvent = (event: SessionEvent, id: string | undefined) => {
    lastEventId = id ?? event.id;
    const ours = Date.parse(event.createdAt) >= since;
    const view = ours ? stepOf(event) : null;
    if (view) options.progress[view.kind](view.text);
    if (event.type !== 'state_changed') return;
    // An end state is confirmed with the session itself (old ones in the replay are harmless,
    // and a replica whose clock lags cannot hide ours); states in between only when ours.
    if (options.until.includes(event.data.to) || event.data.to === 'failed') void check();
    else if (ours) judge({ ...session, state: event.data.to, stateReason: event.data.reason });
  };

  const timer = setTimeout(
    () =>
      settle({
        error: new CliError(
          `session ${session.name} is not ${options.until.join(' or ')} after ${Math.round(options.timeoutMs / 1000)} s`,
          `it goes on without us: follow it with volundr sessions show ${session.name}`,
        ),
      }),
    options.timeoutMs,
  );
  try {
    for (let attempt = 0; !outcome; attempt++) {
      try {
        await subscribe(
          api,
          'sessions.onState',
          { sessionId: session.id, ...(lastEventId ? { lastEventId } : {}) },
          { onConnected: () => void check(), onData: onEvent },
          controller.signal,
        );
      } catch (error) {
        if (error instanceof CliError || attempt >= MAX_RECONNECTS) throw error;
        options.progress.step('connection to the server lost; resuming');
      }
      if (!outcome) await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
    }
  } finally {
    clearTimeout(timer);
    options.progress.stop();
  }
  const result = outcome as { session: Session } | { error: Error } | null;
  if (!result) throw new CliError(`lost track of session ${session.name}`);
  if ('error' in result) throw result.error;
  return result.session;
}
