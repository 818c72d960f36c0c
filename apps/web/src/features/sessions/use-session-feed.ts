import { useQueryClient } from '@tanstack/react-query';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { useEffect, useRef, useState } from 'react';
import { toUiError } from '../../api/api-error';
import { applySessionEventToCache } from '../../api/queries/sessions';
import { useApi } from '../../app/contexts';

export type FeedStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; reason: string }
  | { kind: 'unavailable' }
  | { kind: 'failed'; reason: string };

/**
 * Follows `sessions.onState` (server-sent events): every event updates the cached sessions,
 * and `onEvent` sees it too. `fromStart` replays the whole log of one session first (the
 * provisioning view needs its steps). A broken feed resumes after the last event it got, so
 * nothing is missed and nothing is polled.
 */
export function useSessionFeed(options: {
  sessionId?: string;
  fromStart?: boolean;
  onEvent?: (event: SessionEvent) => void;
  enabled?: boolean;
}): FeedStatus {
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<FeedStatus>({ kind: 'connecting' });
  const onEvent = useRef(options.onEvent);
  onEvent.current = options.onEvent;
  const { sessionId, fromStart = false, enabled = true } = options;

  useEffect(() => {
    if (!enabled) return;
    let lastEventId: string | undefined = fromStart ? '0' : undefined;
    let unsubscribe: (() => void) | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    let stopped = false;

    const subscribe = () => {
      unsubscribe = api.subscribe(
        'sessions.onState',
        { ...(sessionId ? { sessionId } : {}), ...(lastEventId ? { lastEventId } : {}) },
        {
          onData(event, id) {
            if (id) lastEventId = id;
            failures = 0;
            applySessionEventToCache(queryClient, event);
            onEvent.current?.(event);
          },
          onState(state, error) {
            if (state === 'live') setStatus({ kind: 'live' });
            else if (state === 'connecting' && error)
              setStatus({ kind: 'reconnecting', reason: toUiError(error).message });
          },
          onError(error) {
            if (stopped) return;
            const ui = toUiError(error);
            unsubscribe?.();
            unsubscribe = null;
            if (ui.procedureMissing) {
              setStatus({ kind: 'unavailable' });
              return;
            }
            if (ui.code === 'FORBIDDEN' || ui.code.endsWith('NOT_FOUND')) {
              setStatus({ kind: 'failed', reason: ui.message });
              return;
            }
            // Anything else (token expired, API restarted, network): resume after the last
            // event we have, backing off so a broken API is not hammered.
            failures += 1;
            setStatus({ kind: 'reconnecting', reason: ui.message });
            retryTimer = setTimeout(subscribe, Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
          },
        },
      );
    };
    setStatus({ kind: 'connecting' });
    subscribe();
    return () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      unsubscribe?.();
    };
  }, [api, queryClient, sessionId, fromStart, enabled]);

  return status;
}
