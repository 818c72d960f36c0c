import type { TimelineEventType } from '@volundr/contracts/reports';

export interface TimelineEventRecord {
  id: string;
  type: TimelineEventType;
  t: number;
  at: Date;
  label: string;
  action: 'created' | 'modified' | 'deleted' | null;
  insertions: number | null;
  deletions: number | null;
  hash: string | null;
  exitCode: number | null;
  tokens: number | null;
  model: string | null;
}

export interface TimelineQuery {
  chronicleId: string;
  types?: readonly TimelineEventType[];
  /** at >= from */
  from?: Date;
  /** at < to */
  to?: Date;
  /** After this position (oldest first: at, then id). */
  after?: { at: Date; id: string };
  /** The repository returns up to `limit` rows. */
  limit: number;
}

/** One path of the file summary as stored (maintained as events arrive). */
export interface FileSummaryRow {
  path: string;
  insertions: number;
  deletions: number;
  changes: number;
  created: boolean;
  deleted: boolean;
  lastChangedAt: Date;
}

export interface FileSummary {
  /** Most recently changed first, at most `limit`. */
  rows: FileSummaryRow[];
  totals: { files: number; insertions: number; deletions: number };
}

export interface CommitRow {
  hash: string;
  message: string;
  at: Date;
  insertions: number | null;
  deletions: number | null;
}

/** Reads of the timeline (`timeline_events`) and its maintained file summary. */
export interface TimelineEvents {
  page(query: TimelineQuery): Promise<TimelineEventRecord[]>;
  files(chronicleId: string, limit: number): Promise<FileSummary>;
  /** `git` events with a hash, newest first, at most `limit`. */
  commits(chronicleId: string, limit: number): Promise<CommitRow[]>;
  /** The largest `t` of the timeline (null when empty). */
  lastT(chronicleId: string): Promise<number | null>;
}
