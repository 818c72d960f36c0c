import type { Chronicle, ChronicleDetail } from '@volundr/contracts/chronicles';
import { bold, cyan, dim, green, red, yellow } from '../output';
import { ago, renderTable } from '../ui/table';

const where = (c: Chronicle) => (c.repo ? `${c.project ?? c.repo}${c.branch ? `@${c.branch}` : ''}` : 'blank');
const status = (c: Chronicle) =>
  c.status === 'complete' ? (c.partial ? yellow('complete (partial)') : green('complete')) : dim('draft');

export function chronicleTable(items: Chronicle[]): string {
  return renderTable(
    ['ID', 'SESSION', 'WHERE', 'STATUS', 'TOKENS', 'UPDATED'],
    items.map((c) => [c.id, c.sessionName ?? dim('-'), where(c), status(c), String(c.tokensUsed), ago(c.updatedAt)]),
  );
}

const duration = (seconds: number | null) =>
  seconds === null ? '-' : seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;

export function chronicleDetail(detail: ChronicleDetail): string {
  const c = detail.chronicle;
  const lines: string[] = [];
  const row = (key: string, value: string) => lines.push(`${cyan(key.padEnd(10))}${value}`);
  row('chronicle', `${bold(c.id)} ${status(c)}`);
  row('session', `${c.sessionName ?? '-'}${c.sessionId ? dim(` (${c.sessionId})`) : dim(' (deleted)')}`);
  row('where', where(c));
  if (c.model) row('model', c.model);
  row(
    'usage',
    `${detail.usage.total.tokens} tokens in ${detail.usage.turns} turns, $${detail.usage.total.costUsd.toFixed(4)}`,
  );
  row('duration', duration(detail.durationSeconds));
  if (c.tags.length) row('tags', c.tags.join(', '));
  if (c.parentChronicleId) row('reforged', `from ${c.parentChronicleId}`);
  if (c.summary) lines.push('', bold('Summary'), c.summary.trim());
  if (c.keyChanges.length) lines.push('', bold('Key changes'), ...c.keyChanges.map((k) => `  • ${k}`));
  if (c.unfinishedWork) lines.push('', bold('Unfinished'), c.unfinishedWork.trim());
  const t = detail.fileTotals;
  if (detail.files.length) {
    lines.push('', `${bold('Files')} ${dim(`${t.files} changed, +${t.insertions} −${t.deletions}`)}`);
    for (const f of detail.files.slice(0, 20)) {
      const mark = f.status === 'new' ? green('new     ') : f.status === 'deleted' ? red('deleted ') : 'modified';
      lines.push(`  ${mark} ${f.path} ${dim(`+${f.insertions} −${f.deletions}`)}`);
    }
    if (detail.files.length > 20 || detail.filesTruncated) lines.push(dim(`  … and more (--json for all)`));
  }
  if (detail.commits.length) {
    lines.push('', bold('Commits'));
    for (const k of detail.commits.slice(0, 10)) lines.push(`  ${yellow(k.shortHash)} ${k.message.split('\n')[0]}`);
  }
  return `${lines.join('\n')}\n`;
}
