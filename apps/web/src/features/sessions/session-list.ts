import type { Session, SessionState } from '@volundr/contracts/sessions';

export interface SessionGroup {
  key: 'active' | 'starting' | 'stopping' | 'failed' | 'stopped' | 'created' | 'archived';
  title: string;
  states: SessionState[];
  sessions: Session[];
}

/** Dashboard order: what needs attention first. */
const GROUPS: Omit<SessionGroup, 'sessions'>[] = [
  { key: 'active', title: 'Running', states: ['running'] },
  { key: 'starting', title: 'Starting', states: ['starting', 'provisioning'] },
  { key: 'stopping', title: 'Stopping', states: ['stopping'] },
  { key: 'failed', title: 'Failed', states: ['failed'] },
  { key: 'created', title: 'Not started', states: ['created'] },
  { key: 'stopped', title: 'Stopped', states: ['stopped'] },
  { key: 'archived', title: 'Archived', states: ['archived'] },
];

const byRecent = (a: Session, b: Session) => b.updatedAt.localeCompare(a.updatedAt) || a.name.localeCompare(b.name);

/** Non-empty groups in dashboard order, newest first inside each. */
export function groupSessions(sessions: Session[]): SessionGroup[] {
  return GROUPS.map((group) => ({
    ...group,
    sessions: sessions.filter((s) => group.states.includes(s.state)).sort(byRecent),
  })).filter((group) => group.sessions.length > 0);
}

export function repoOf(session: Session): string | null {
  return session.source.type === 'git' ? session.source.repo : null;
}

/** A short repository label: `owner/name` from a URL or path. */
export function repoLabel(repo: string): string {
  const trimmed = repo.replace(/\.git$/, '').replace(/\/+$/, '');
  const parts = trimmed.split(/[/:]/).filter(Boolean);
  return parts.slice(-2).join('/') || repo;
}

export interface SessionFilter {
  text: string;
  /** Empty: every state. */
  states: SessionState[];
}

/** Case-insensitive match of every word against name, id, model, repository and branch. */
export function filterSessions(sessions: Session[], filter: SessionFilter): Session[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return sessions.filter((s) => {
    if (filter.states.length > 0 && !filter.states.includes(s.state)) return false;
    if (words.length === 0) return true;
    const haystack = [
      s.name,
      s.id,
      s.model,
      s.source.type === 'git' ? `${s.source.repo} ${s.source.branch}` : 'blank',
      s.templateName ?? '',
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export interface SessionStats {
  running: number;
  starting: number;
  failed: number;
  /** Sessions with activity (or a change) since local midnight, and what they used in total. */
  activeToday: number;
  tokensActiveToday: number;
  costActiveToday: number;
}

export function sessionStats(sessions: Session[], now: Date): SessionStats {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const since = midnight.getTime();
  let running = 0;
  let starting = 0;
  let failed = 0;
  let activeToday = 0;
  let tokens = 0;
  let cost = 0;
  for (const s of sessions) {
    if (s.state === 'running') running += 1;
    if (s.state === 'starting' || s.state === 'provisioning') starting += 1;
    if (s.state === 'failed') failed += 1;
    const last = Date.parse(s.lastActivityAt ?? s.updatedAt);
    if (last >= since) {
      activeToday += 1;
      tokens += s.tokensUsed;
      cost += s.costUsd;
    }
  }
  return { running, starting, failed, activeToday, tokensActiveToday: tokens, costActiveToday: cost };
}

/** Which lifecycle actions the dashboard offers for a state (the API decides for real). */
export function sessionActions(
  state: SessionState,
): Array<'open' | 'start' | 'stop' | 'archive' | 'restore' | 'delete'> {
  switch (state) {
    case 'running':
      return ['open', 'stop'];
    case 'starting':
    case 'provisioning':
      return ['open', 'stop'];
    case 'stopping':
      return ['open'];
    case 'created':
      return ['open', 'start', 'archive', 'delete'];
    case 'stopped':
    case 'failed':
      return ['open', 'start', 'archive', 'delete'];
    case 'archived':
      return ['open', 'restore', 'delete'];
  }
}
