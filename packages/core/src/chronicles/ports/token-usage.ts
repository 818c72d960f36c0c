export interface UsageCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

export interface ModelUsageRow extends UsageCounts {
  model: string;
  /** Usage reports (one per turn). */
  turns: number;
}

/** Usage of one model in bucket `bucket` (seconds since the start ÷ bucketSeconds, floored). */
export interface BurnRow extends UsageCounts {
  bucket: number;
  model: string;
  /** Usage reports (turns) in the bucket. */
  turns: number;
}

/** Reads of `token_usage` (rows are written by the report store). */
export interface TokenUsage {
  /** Totals per model, by model name. */
  byModel(sessionId: string): Promise<ModelUsageRow[]>;
  /** When the session's first usage happened (null when none). */
  firstAt(sessionId: string): Promise<Date | null>;
  /**
   * Per bucket and model, ascending. Buckets count from the minute of `start` (start floored
   * to a whole minute); usage before it falls into bucket 0.
   */
  burn(sessionId: string, start: Date, bucketSeconds: number): Promise<BurnRow[]>;
}
