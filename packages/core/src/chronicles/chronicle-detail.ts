import {
  type ChronicleCommit,
  type ChronicleDetail,
  type ChronicleFile,
  MAX_DETAIL_COMMITS,
  MAX_DETAIL_FILES,
  ZChronicleByIdInput,
} from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { loadChronicleFor } from './chronicle-access';
import { type ChronicleRecord, toChronicleView } from './chronicle-record';
import { fileStatus } from './file-status';
import type { Chronicles } from './ports/chronicles';
import type { CommitRow, FileSummaryRow, TimelineEvents } from './ports/timeline-events';
import type { TokenUsage } from './ports/token-usage';
import { burnView, perModel, usageView } from './usage-views';

export interface ChronicleDetailDeps {
  chronicles: Chronicles;
  timeline: TimelineEvents;
  usage: TokenUsage;
  authorization: Authorization;
}

export const toFileView = (row: FileSummaryRow): ChronicleFile => ({
  path: row.path,
  insertions: row.insertions,
  deletions: row.deletions,
  status: fileStatus(row),
  changes: row.changes,
  lastChangedAt: row.lastChangedAt.toISOString(),
});

export const toCommitView = (row: CommitRow): ChronicleCommit => ({
  hash: row.hash,
  shortHash: row.hash.slice(0, 7),
  message: row.message,
  at: row.at.toISOString(),
  insertions: row.insertions,
  deletions: row.deletions,
});

/**
 * Everything the detail view shows, read in parallel: the maintained file summary, the
 * commits, usage totals and the token burn (SQL aggregates), and the duration.
 */
export async function buildChronicleDetail(
  deps: Omit<ChronicleDetailDeps, 'authorization' | 'chronicles'>,
  chronicle: ChronicleRecord,
  bucketSeconds: number,
): Promise<ChronicleDetail> {
  const sessionId = chronicle.sessionId;
  const start = chronicle.startedAt ?? (sessionId ? await deps.usage.firstAt(sessionId) : null);
  // One scan of the usage gives the burn and, summed per model, the totals.
  const [files, commits, burnRows, lastT] = await Promise.all([
    deps.timeline.files(chronicle.id, MAX_DETAIL_FILES),
    deps.timeline.commits(chronicle.id, MAX_DETAIL_COMMITS + 1),
    sessionId && start ? deps.usage.burn(sessionId, start, bucketSeconds) : Promise.resolve([]),
    chronicle.durationSeconds === null ? deps.timeline.lastT(chronicle.id) : Promise.resolve(null),
  ]);
  return {
    chronicle: toChronicleView(chronicle),
    files: files.rows.map(toFileView),
    filesTruncated: files.totals.files > files.rows.length,
    fileTotals: files.totals,
    commits: commits.slice(0, MAX_DETAIL_COMMITS).map(toCommitView),
    commitsTruncated: commits.length > MAX_DETAIL_COMMITS,
    usage: usageView(perModel(burnRows)),
    tokenBurn: burnView(burnRows, start, bucketSeconds),
    durationSeconds: chronicle.durationSeconds ?? lastT,
  };
}

/** `chronicles.byId`: a chronicle the principal may read, with its aggregates. */
export const chronicleDetail =
  (deps: ChronicleDetailDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZChronicleByIdInput>): Promise<ChronicleDetail> => {
    const input = validateInput(ZChronicleByIdInput, rawInput, 'chronicle request');
    const chronicle = await loadChronicleFor(deps, principal, input.id, 'read');
    return buildChronicleDetail(deps, chronicle, input.bucketSeconds);
  };
