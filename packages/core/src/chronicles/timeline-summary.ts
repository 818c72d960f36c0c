import type { ChronicleCommit, ChronicleFile } from '@volundr/contracts/chronicles';

export interface TimelineFacts {
  files: readonly ChronicleFile[];
  fileTotals: { files: number; insertions: number; deletions: number };
  commits: readonly ChronicleCommit[];
  /** Whether more commits exist than `commits` lists. */
  moreCommits: boolean;
}

const MAX_KEY_CHANGES = 200;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The summary and key changes of a chronicle completed without the broker's final report:
 * what the timeline alone can say (files changed with line counts, commits).
 */
export function summaryFromTimeline(facts: TimelineFacts): { summary: string; keyChanges: string[] } {
  const { files, fileTotals, commits } = facts;
  const commitCount = `${commits.length}${facts.moreCommits ? '+' : ''}`;
  const parts = [
    fileTotals.files > 0
      ? `${plural(fileTotals.files, 'file')} changed (+${fileTotals.insertions} −${fileTotals.deletions})`
      : 'no file changes recorded',
    commits.length > 0 ? `${commitCount} commit${commits.length === 1 && !facts.moreCommits ? '' : 's'}` : 'no commits',
  ];
  const summary =
    `The session ended without a final report; this summary was built from its timeline: ${parts.join(', ')}.` +
    (commits[0] ? ` Last commit: ${commits[0].shortHash} ${commits[0].message}.` : '');
  const keyChanges = [
    ...commits.map((c) => `commit ${c.shortHash}: ${c.message}`),
    ...files.map((f) => `${f.status} ${f.path} (+${f.insertions} −${f.deletions})`),
  ].slice(0, MAX_KEY_CHANGES);
  return { summary, keyChanges };
}
