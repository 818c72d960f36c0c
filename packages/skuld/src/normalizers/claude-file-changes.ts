/**
 * Which files a finished Claude Code tool call changed, from the tool's input and its
 * structured result (`tool_use_result`). Write reports `type: "create" | "update"`; Edit,
 * MultiEdit and Write-over-existing report a `structuredPatch` whose `+`/`-` lines are counted.
 * Bash counts only for plain `rm` commands: other shell effects are caught by the broker's
 * workspace watcher, not guessed here.
 */
import { z } from 'zod';
import { displayPath } from './workspace-path';

export interface FileChange {
  path: string;
  action: 'created' | 'modified' | 'deleted';
  insertions?: number;
  deletions?: number;
}

const ZPatchHunk = z.looseObject({ lines: z.array(z.string()) });
const ZWriteResult = z.looseObject({
  type: z.enum(['create', 'update']),
  filePath: z.string(),
  content: z.string().optional(),
  structuredPatch: z.array(ZPatchHunk).optional(),
});
const ZEditResult = z.looseObject({ filePath: z.string(), structuredPatch: z.array(ZPatchHunk).optional() });

/** Counts added/removed lines of a structuredPatch. */
export function countPatch(hunks: readonly { lines: readonly string[] }[]): { insertions: number; deletions: number } {
  let insertions = 0;
  let deletions = 0;
  for (const h of hunks) {
    for (const line of h.lines) {
      if (line.startsWith('+')) insertions++;
      else if (line.startsWith('-')) deletions++;
    }
  }
  return { insertions, deletions };
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

export function fileChangesOf(
  tool: { name: string; input: Record<string, unknown> },
  structured: unknown,
  workspaceDir: string,
): FileChange[] {
  const at = (p: string) => displayPath(workspaceDir, p);
  switch (tool.name) {
    case 'Write': {
      const r = ZWriteResult.safeParse(structured);
      if (r.success) {
        if (r.data.type === 'create') {
          return [
            {
              path: at(r.data.filePath),
              action: 'created',
              insertions: countLines(r.data.content ?? ''),
              deletions: 0,
            },
          ];
        }
        return [{ path: at(r.data.filePath), action: 'modified', ...countPatch(r.data.structuredPatch ?? []) }];
      }
      const path = stringField(tool.input, 'file_path');
      return path ? [{ path: at(path), action: 'modified' }] : [];
    }
    case 'Edit':
    case 'MultiEdit': {
      const r = ZEditResult.safeParse(structured);
      if (r.success)
        return [{ path: at(r.data.filePath), action: 'modified', ...countPatch(r.data.structuredPatch ?? []) }];
      const path = stringField(tool.input, 'file_path');
      return path ? [{ path: at(path), action: 'modified' }] : [];
    }
    case 'NotebookEdit': {
      const path = stringField(tool.input, 'notebook_path');
      return path ? [{ path: at(path), action: 'modified' }] : [];
    }
    case 'Bash': {
      const command = stringField(tool.input, 'command');
      return command ? removedPaths(command).map((p) => ({ path: at(p), action: 'deleted' as const })) : [];
    }
    default:
      return [];
  }
}

/**
 * Paths removed by the plain `rm` commands of a shell line (`rm a b`, `rm -f x && …`).
 */
export function removedPaths(command: string): string[] {
  const paths: string[] = [];
  for (const segment of command.split(/&&|\|\||;|\n/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    if (words[0] !== 'rm') continue;
    let options = true;
    for (const word of words.slice(1)) {
      if (options && word === '--') {
        options = false;
        continue;
      }
      if (options && word.startsWith('-')) continue;
      const unquoted = word.replace(/^(['"])(.*)\1$/, '$2');
      // Globs, expansions and words split inside quotes are skipped, not guessed.
      if (/[*?[\]$`|<>(){}"'\\]/.test(unquoted)) continue;
      paths.push(unquoted);
    }
  }
  return paths;
}

function stringField(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
