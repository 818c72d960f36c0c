import type { Session } from '@volundr/contracts/sessions';
import { type ChatClient, type ChatClientStatus, createChatClient } from '@volundr/sdk/chat-client';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useAuth } from '../../app/contexts';
import { type ChatViewState, chatReducer, initialChatState } from './chat-reducer';
import { sessionSocketUrl } from './chat-url';

export interface ChatHandle {
  state: ChatViewState;
  status: ChatClientStatus;
  /** Frames the broker sent that were not valid protocol events (dropped). */
  invalidFrames: number;
  send(text: string): void;
  interrupt(): boolean;
  answer(requestId: string, allow: boolean): boolean;
  setModel(model: string): boolean;
  reconnect(): void;
}

/**
 * One chat connection to the session's broker, folded through `chatReducer`. Each tab and
 * pop-out window has its own connection; the broker echoes every message to all of them, so
 * they stay in step. Reconnects resume with `after=<last seq>` and the reducer drops any
 * event it has already applied.
 */
export function useChat(session: Session, enabled: boolean): ChatHandle {
  const { session: auth, state: authState } = useAuth();
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [status, setStatus] = useState<ChatClientStatus>({ state: 'connecting', attempt: 0 });
  const [invalidFrames, setInvalidFrames] = useState(0);
  const [generation, setGeneration] = useState(0);
  const clientRef = useRef<ChatClient | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = state.lastSeq;
  const author = authState.status === 'signed-in' ? authState.user.name : 'you';
  const endpoint = session.endpoints?.chat ?? null;

  useEffect(() => {
    if (!enabled) return;
    void generation;
    const client = createChatClient({
      url: sessionSocketUrl(endpoint, `/s/${encodeURIComponent(session.id)}/ws/chat`, window.location.href),
      token: async () => {
        const token = await auth.accessToken();
        if (!token) throw new Error('signed out');
        return token;
      },
      // Resume where this view is, so a re-created client does not replay what is shown.
      after: lastSeq.current,
    });
    clientRef.current = client;
    const offEvent = client.onEvent((event) => dispatch({ type: 'event', event }));
    const offStatus = client.onStatus((next) => {
      setStatus(next);
      // The broker refused the token: renew it; the person reconnects with the fresh one.
      if (next.state === 'closed' && next.reason === 'unauthenticated') void auth.tokenRejected();
    });
    const offInvalid = client.onInvalid(() => setInvalidFrames((n) => n + 1));
    setStatus(client.status);
    return () => {
      offEvent();
      offStatus();
      offInvalid();
      client.close();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [auth, session.id, endpoint, enabled, generation]);

  const send = useCallback(
    (text: string) => {
      const client = clientRef.current;
      if (!client) return;
      const id = client.sendMessage(text);
      dispatch({ type: 'local/sent', id, text, author, ts: new Date().toISOString() });
    },
    [author],
  );

  return {
    state,
    status,
    invalidFrames,
    send,
    interrupt: () => clientRef.current?.interrupt() ?? false,
    answer: (requestId, allow) => {
      const sent = clientRef.current?.answerPermission(requestId, allow) ?? false;
      if (sent) dispatch({ type: 'local/permission', requestId, allow });
      return sent;
    },
    setModel: (model) => clientRef.current?.setModel(model) ?? false,
    reconnect: () => setGeneration((n) => n + 1),
  };
}
