import type { Chronicle, ChronicleStatus } from '@volundr/contracts/chronicles';

/**
 * A chronicle as the domain holds it: one row of `chronicles`, field for column (camelCase),
 * times as Dates. `sessionName` and `profileName` come from the row's config snapshot.
 */
export interface ChronicleRecord {
  id: string;
  sessionId: string | null;
  ownerId: string;
  tenantId: string;
  status: ChronicleStatus;
  partial: boolean;
  project: string | null;
  repo: string | null;
  branch: string | null;
  model: string | null;
  templateName: string | null;
  profileName: string | null;
  sessionName: string | null;
  summary: string | null;
  keyChanges: string[];
  unfinishedWork: string | null;
  tokensUsed: number;
  costUsd: number;
  durationSeconds: number | null;
  tags: string[];
  parentChronicleId: string | null;
  startedAt: Date | null;
  reportReceivedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API view: explicit fields only. */
export function toChronicleView(c: ChronicleRecord): Chronicle {
  return {
    id: c.id,
    sessionId: c.sessionId,
    ownerId: c.ownerId,
    tenantId: c.tenantId,
    status: c.status,
    partial: c.partial,
    project: c.project,
    repo: c.repo,
    branch: c.branch,
    model: c.model,
    templateName: c.templateName,
    sessionName: c.sessionName,
    summary: c.summary,
    keyChanges: c.keyChanges,
    unfinishedWork: c.unfinishedWork,
    tokensUsed: c.tokensUsed,
    costUsd: c.costUsd,
    durationSeconds: c.durationSeconds,
    tags: c.tags,
    parentChronicleId: c.parentChronicleId,
    startedAt: iso(c.startedAt),
    reportReceivedAt: iso(c.reportReceivedAt),
    completedAt: iso(c.completedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** `https://github.com/acme/api.git` → `api`: the last path segment without `.git`. */
export function projectOf(repo: string | null): string | null {
  if (!repo) return null;
  const segment = repo.replace(/\/+$/, '').split(/[/:]/).pop() ?? '';
  const project = segment.replace(/\.git$/, '');
  return project || null;
}
