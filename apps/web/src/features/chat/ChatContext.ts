import { createContext, useContext } from 'react';
import type { ChatHandle } from './use-chat';

/** The workspace's one chat connection, shared by the Chat and Changes tabs. */
export const ChatContext = createContext<ChatHandle | null>(null);

export function useChatHandle(): ChatHandle | null {
  return useContext(ChatContext);
}
