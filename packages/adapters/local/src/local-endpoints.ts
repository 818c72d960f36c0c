import type { SessionEndpoints } from '@volundr/contracts/session-spec';

/** Where a browser reaches a local session: same-origin paths served by the local gateway. */
export function localEndpoints(sessionId: string): SessionEndpoints {
  const base = `/s/${encodeURIComponent(sessionId)}`;
  return { chat: `${base}/ws/chat`, terminal: `${base}/terminal/`, code: `${base}/ide/` };
}
