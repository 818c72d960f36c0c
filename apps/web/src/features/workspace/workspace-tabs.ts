export const WORKSPACE_TABS = [
  { key: 'chat', label: 'Chat' },
  { key: 'terminal', label: 'Terminal' },
  { key: 'ide', label: 'IDE' },
  { key: 'changes', label: 'Changes' },
  { key: 'chronicle', label: 'Chronicle' },
] as const;

export type WorkspaceTab = (typeof WORKSPACE_TABS)[number]['key'];

export const isWorkspaceTab = (value: unknown): value is WorkspaceTab => WORKSPACE_TABS.some((t) => t.key === value);

export const tabLabel = (tab: WorkspaceTab) => WORKSPACE_TABS.find((t) => t.key === tab)?.label ?? tab;

/** Opens a tab in its own window (one window per session and tab: a second click focuses it). */
export function popOut(sessionId: string, tab: WorkspaceTab): void {
  const url = `/popout/${encodeURIComponent(sessionId)}/${tab}`;
  const opened = window.open(url, `volundr-${sessionId}-${tab}`, 'popup,width=1000,height=720');
  // Pop-ups blocked: open it as a tab instead.
  if (!opened) window.location.assign(url);
}
