/**
 * The report sent once when the broker is stopped: the CLI's own summary when the transport can
 * give one in time, otherwise one assembled from the files that changed and `git log` since the
 * session started (`partial: true`).
 */
import type { FinalReport } from '@volundr/contracts/reports';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';
import type { Transport } from '../transports/transport';
import type { Git } from './git';

/** What a CLI's summary may look like; both spellings are accepted from a model. */
const ZCliSummary = z.object({
  summary: z.string().min(1),
  keyChanges: z.array(z.string()).optional(),
  key_changes: z.array(z.string()).optional(),
  unfinishedWork: z.string().optional(),
  unfinished_work: z.string().optional(),
});

export interface FinalReportInput {
  transport: Transport;
  git: Git | null;
  logger: Logger;
  key: string;
  sessionStartedAt: Date;
  now: Date;
  /** Ask the CLI only when at least one turn ran: otherwise there is nothing to summarize. */
  askCli: boolean;
  summaryTimeoutMs: number;
  startHead: string | null;
  changedFiles: readonly string[];
  lastReply: string | null;
  /** Paths to leave out of "uncommitted" (the broker's own state dir). */
  ignorePaths: readonly string[];
}

export async function buildFinalReport(input: FinalReportInput): Promise<FinalReport> {
  const base = {
    kind: 'final' as const,
    key: input.key,
    occurredAt: input.now.toISOString(),
    durationSeconds: Math.max(0, Math.round((input.now.getTime() - input.sessionStartedAt.getTime()) / 1000)),
  };
  const fromCli = input.askCli ? await askCli(input) : null;
  if (fromCli) return { ...base, ...fromCli };

  const commits = input.git ? await input.git.commitsSince(input.startHead, 50) : [];
  const uncommitted = input.git
    ? (await input.git.uncommitted()).filter(
        (path) => !input.ignorePaths.some((ignored) => path === ignored || path.startsWith(`${ignored}/`)),
      )
    : [];
  const files = [...new Set(input.changedFiles)];
  const parts = [
    `${files.length} file${files.length === 1 ? '' : 's'} changed`,
    `${commits.length} commit${commits.length === 1 ? '' : 's'}`,
  ];
  const reply = input.lastReply?.trim();
  const summary = `${parts.join(', ')}.${reply ? `\n\nLast reply: ${reply.slice(0, 2_000)}` : ''}`;
  const keyChanges = [
    ...commits.map((commit) => `${commit.hash.slice(0, 7)} ${commit.subject}`.slice(0, 1_000)),
    ...files.map((file) => `changed ${file}`.slice(0, 1_000)),
  ].slice(0, 200);
  const unfinishedWork =
    uncommitted.length > 0
      ? `Uncommitted changes: ${uncommitted.slice(0, 50).join(', ')}${uncommitted.length > 50 ? ', …' : ''}`
      : '';
  return { ...base, summary, keyChanges, unfinishedWork, partial: true };
}

async function askCli(
  input: FinalReportInput,
): Promise<Pick<FinalReport, 'summary' | 'keyChanges' | 'unfinishedWork'> | null> {
  if (!input.transport.summarize) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const text = await Promise.race([
      input.transport.summarize(input.summaryTimeoutMs),
      // The transport is asked to keep the limit; this holds it to it.
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), input.summaryTimeoutMs + 1_000))),
    ]);
    if (!text?.trim()) return null;
    const parsed = ZCliSummary.safeParse(parseJsonLoosely(text));
    if (parsed.success) {
      const s = parsed.data;
      return {
        summary: s.summary.slice(0, 20_000),
        keyChanges: (s.keyChanges ?? s.key_changes ?? []).slice(0, 200).map((c) => c.slice(0, 1_000)),
        unfinishedWork: (s.unfinishedWork ?? s.unfinished_work ?? '').slice(0, 20_000),
      };
    }
    return { summary: text.trim().slice(0, 20_000), keyChanges: [], unfinishedWork: '' };
  } catch (error) {
    input.logger.warn({ error: (error as Error).message }, 'CLI summary failed; using the fallback');
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Models wrap JSON in prose or code fences; take the outermost object if there is one. */
function parseJsonLoosely(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return null;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
}
