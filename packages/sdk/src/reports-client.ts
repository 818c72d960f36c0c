/**
 * Sends a session's report batches to the API (`POST /api/v1/sessions/<id>/reports`, contract in
 * packages/contracts/src/reports.ts and docs/skuld.md). It only sends: retrying, ordering and
 * durability belong to the caller (Skuld's on-disk outbox).
 */
import { type ReportBatch, type ReportBatchResult, ZReportBatch, ZReportBatchResult } from '@volundr/contracts/reports';

export interface ReportsClientOptions {
  /** Base URL of the API, e.g. `https://volundr.example.com` (a trailing slash is fine). */
  apiUrl: string;
  sessionId: string;
  /** Bearer token scoped to this session (session token or PAT). */
  token: string;
  /** Per-request time limit. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Why a batch was not accepted. `retryable` is false only when the API said the batch itself is
 * wrong (400/413/422): sending the same bytes again cannot succeed.
 */
export class ReportsClientError extends Error {
  override readonly name = 'ReportsClientError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ReportsClient {
  readonly url: string;
  send(batch: ReportBatch): Promise<ReportBatchResult>;
}

const NOT_RETRYABLE = new Set([400, 413, 422]);

export function createReportsClient(options: ReportsClientOptions): ReportsClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(
    `api/v1/sessions/${encodeURIComponent(options.sessionId)}/reports`,
    options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
  ).toString();

  return {
    url,
    async send(batch) {
      // Validate here so a contract bug surfaces at the sender with the field that is wrong.
      const body = ZReportBatch.parse(batch);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new ReportsClientError(`POST ${url} failed: ${describe(error)}`, true);
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        throw new ReportsClientError(
          `POST ${url} answered ${response.status}: ${text.slice(0, 300)}`,
          !NOT_RETRYABLE.has(response.status),
          response.status,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ReportsClientError(`POST ${url} answered ${response.status} with a body that is not JSON`, true);
      }
      const result = ZReportBatchResult.safeParse(json);
      if (!result.success) {
        throw new ReportsClientError(
          `POST ${url} answered with an unexpected body: ${result.error.issues[0]?.message ?? 'invalid'}`,
          true,
          response.status,
        );
      }
      return result.data;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
