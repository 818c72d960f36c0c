import type { Session } from '@volundr/contracts/sessions';
import { type ChatClient, createChatClient, type WebSocketConstructor } from '@volundr/sdk/chat-client';
import WebSocket from 'ws';
import type { ApiClient } from '../api/api-client';
import { ensureReachable } from '../api/reachability';
import { CliError, exitCodes } from '../output';
import { endpointUrl } from '../sessions/session-views';

/** The session must be running and offer a chat; then its broker's WebSocket URL. */
export function chatUrlOf(api: ApiClient, session: Session): string {
  if (session.state !== 'running') {
    throw new CliError(
      `session ${session.name} is not running (${session.state})`,
      `start it with: volundr sessions start ${session.name}`,
    );
  }
  if (!session.endpoints?.chat) throw new CliError(`session ${session.name} has no chat endpoint`);
  return endpointUrl(api.server, session.endpoints.chat, true);
}

/**
 * A chat client for the session's broker through the gateway: token in the Authorization
 * header (fresh, refreshed if needed, at every reconnect), reconnecting with replay of what
 * was missed (the SDK resumes after the last seq it saw).
 */
export async function connectChat(
  api: ApiClient,
  session: Session,
  options: { maxAttempts?: number } = {},
): Promise<ChatClient> {
  const url = chatUrlOf(api, session);
  await ensureReachable(api.server);
  const tokens = api.tokens;
  return createChatClient({
    url,
    token: () => tokens.token(),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    tokenIn: 'header',
    reconnect: { initialDelayMs: 300, maxDelayMs: 5_000, maxAttempts: options.maxAttempts ?? 20 },
  });
}

/** Why a chat client stopped for good, for the person. */
export function chatStopped(client: ChatClient, session: Session): CliError {
  const reason = client.status.reason;
  if (reason === 'unauthenticated') {
    return new CliError(`the chat of ${session.name} refused your credentials`, api401Hint, exitCodes.unauthenticated);
  }
  if (reason === 'forbidden') return new CliError(`you may not use the chat of session ${session.name}`);
  if (reason === 'gave_up') {
    return new CliError(
      `lost the connection to the chat of ${session.name} (closed with ${client.status.closeCode ?? 'no code'})`,
      `is it still running? volundr sessions show ${session.name}`,
      exitCodes.unreachable,
    );
  }
  return new CliError(`the chat of ${session.name} closed`);
}

const api401Hint = 'log in again with: volundr login (or check --token / VOLUNDR_TOKEN)';
