import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import { toCommitView, toFileView } from './chronicle-detail';
import { completionDecision } from './completion-rules';
import type { ChronicleCompletion, Chronicles, CompletionCandidate } from './ports/chronicles';
import type { TimelineEvents } from './ports/timeline-events';
import { summaryFromTimeline } from './timeline-summary';

export interface CompleteChroniclesDeps {
  chronicles: Chronicles;
  timeline: TimelineEvents;
  clock: Clock;
  logger: Logger;
  /** How long after its session stopped a chronicle waits for the broker's final report. */
  reportGraceMs: number;
  batchSize?: number;
}

export interface CompletionPass {
  completed: number;
  partial: number;
}

const SUMMARY_FILES = 100;
const SUMMARY_COMMITS = 50;

/**
 * One pass of the completion job: every draft whose session has ended becomes `complete` —
 * with its final report, or once the grace period is over without it, marked partial and
 * summarized from its timeline. Safe with several API replicas: a completion only applies to
 * a row still in `draft` (and, for a partial one, still without a report).
 */
export const completeChronicles = (deps: CompleteChroniclesDeps) => async (): Promise<CompletionPass> => {
  const pass: CompletionPass = { completed: 0, partial: 0 };
  const batchSize = deps.batchSize ?? 100;
  for (;;) {
    const now = deps.clock.now();
    const due = await deps.chronicles.dueForCompletion(now, deps.reportGraceMs, batchSize);
    let progressed = 0;
    for (const candidate of due) {
      const done = await completeOne(deps, candidate, now);
      if (!done) continue;
      progressed += 1;
      pass.completed += 1;
      if (done.partial) pass.partial += 1;
    }
    // A short page, or a page where nothing moved (all raced by another replica): done for now.
    if (due.length < batchSize || progressed === 0) return pass;
  }
};

async function completeOne(
  deps: CompleteChroniclesDeps,
  { chronicle, sessionState, sessionStoppedAt }: CompletionCandidate,
  now: Date,
): Promise<{ partial: boolean } | null> {
  const decision = completionDecision({ ...chronicle, sessionState, sessionStoppedAt }, now, deps.reportGraceMs);
  if (!decision.complete) return null;
  let completion: ChronicleCompletion = { at: now, partial: decision.partial, onlyWithoutReport: false };
  if (decision.fromTimeline) {
    const [files, commits, lastT] = await Promise.all([
      deps.timeline.files(chronicle.id, SUMMARY_FILES),
      deps.timeline.commits(chronicle.id, SUMMARY_COMMITS + 1),
      deps.timeline.lastT(chronicle.id),
    ]);
    const built = summaryFromTimeline({
      files: files.rows.map(toFileView),
      fileTotals: files.totals,
      commits: commits.slice(0, SUMMARY_COMMITS).map(toCommitView),
      moreCommits: commits.length > SUMMARY_COMMITS,
    });
    completion = {
      ...completion,
      summary: built.summary,
      keyChanges: built.keyChanges,
      durationSeconds: chronicle.durationSeconds ?? lastT,
      onlyWithoutReport: true,
    };
  }
  const completed = await deps.chronicles.complete(chronicle.id, completion);
  if (completed) {
    deps.logger.info(
      { chronicleId: chronicle.id, sessionId: chronicle.sessionId, partial: completed.partial },
      completed.partial ? 'chronicle completed without a final report (partial)' : 'chronicle completed',
    );
  }
  return completed ? { partial: completed.partial } : null;
}
