/**
 * Turns what happens in the session into reports for the API: usage after every turn, activity
 * state changes, and timeline events from the conversation (messages, commands, tool uses, file
 * changes, errors), the workspace watcher (changes made outside the agent) and git (commits).
 * Keys are derived from what a report is about (turn id, event seq, commit hash), so the API
 * can de-duplicate them.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { ChatEvent } from '@volundr/contracts/chat';
import type { ActivityState, Report, TimelineReport } from '@volundr/contracts/reports';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { Commit } from './git';
import type { FileChange } from './workspace-watcher';
import { workspaceRelative } from './workspace-watcher';

export interface ReportRecorderOptions {
  enqueue: (report: Report) => void;
  workspaceDir: string;
  sessionStartedAt: Date;
  /** The model turns currently run with. */
  model: () => string;
  /** Turns started before this process (labels count on from there). */
  turnsBefore: number;
  onChangedFile?: (path: string) => void;
  logger: Logger;
  now?: () => Date;
  /** How long after a turn a watcher change to a file the agent reported is taken as the same change. */
  graceMs?: number;
}

export interface ReportRecorder {
  onEvents(events: readonly ChatEvent[]): void;
  onFileChanges(changes: readonly FileChange[]): void;
  onCommits(commits: readonly Commit[]): void;
  /** The `session` timeline event, once per session. */
  sessionStarted(): void;
  /**
   * The number of chat connections changed: an activity report in the current state whose
   * metadata carries `connections` (every activity report carries it).
   */
  connectionsChanged(count: number): void;
  /** Reply text of the last completed turn (final report fallback). */
  readonly lastReply: string | null;
}

/** Tools whose effect is a file change: the transport's `file_changed` events cover them. */
const FILE_TOOLS = new Set(['write', 'edit', 'multiedit', 'notebookedit', 'apply_patch', 'file_change', 'patch']);
const COMMAND_TOOLS = new Set(['bash', 'shell', 'local_shell', 'command_execution', 'exec_command', 'exec']);

export function createReportRecorder(options: ReportRecorderOptions): ReportRecorder {
  const { enqueue, logger } = options;
  const now = options.now ?? (() => new Date());
  const graceMs = options.graceMs ?? 5_000;
  const startedMs = options.sessionStartedAt.getTime();
  let turnNumber = options.turnsBefore;
  let activity: ActivityState = 'idle';
  let activityMetadata: Record<string, unknown> = {};
  let connections = 0;
  let currentTurn: string | null = null;
  let lastReply: string | null = null;
  /** Tool calls in flight: what the timeline needs when they finish. */
  const tools = new Map<string, { name: string; command: string | null; startedAt: string }>();
  /** Paths the agent reported in the running turn. */
  const turnPaths = new Set<string>();
  /** Watcher changes seen while a turn ran: decided at its end. */
  let stashed: FileChange[] = [];
  /** Paths the agent reported recently → until when a watcher change to them is the same change. */
  const recent = new Map<string, number>();

  const t = (at: string | Date) => Math.max(0, Math.round((new Date(at).getTime() - startedMs) / 10) / 100);

  const safeEnqueue = (report: Report) => {
    try {
      enqueue(report);
    } catch (error) {
      logger.error({ key: report.key, error: (error as Error).message }, 'could not queue report');
    }
  };

  const timeline = (fields: Omit<TimelineReport, 'kind' | 't'>) =>
    safeEnqueue({ kind: 'timeline', ...fields, t: t(fields.occurredAt) } as TimelineReport);

  const setActivity = (state: ActivityState, event: ChatEvent, metadata: Record<string, unknown>) => {
    if (state === activity) return;
    activity = state;
    activityMetadata = metadata;
    safeEnqueue({
      kind: 'activity',
      key: `activity:${event.seq}`,
      occurredAt: event.ts,
      state,
      metadata: { ...metadata, connections },
    });
  };

  const connectionsChanged = (count: number) => {
    if (count === connections) return;
    connections = count;
    safeEnqueue({
      kind: 'activity',
      key: `connections:${randomUUID()}`,
      occurredAt: now().toISOString(),
      state: activity,
      metadata: { ...activityMetadata, connections },
    });
  };

  const relativePath = (path: string) => {
    const rel = isAbsolute(path) ? workspaceRelative(options.workspaceDir, path) : path.replace(/^\.\//, '');
    return rel.startsWith('..') ? path : rel;
  };

  const emitFileChanges = (changes: readonly FileChange[]) => {
    const at = Date.now();
    for (const change of changes) {
      const until = recent.get(change.path);
      if (until !== undefined && until >= at) continue;
      options.onChangedFile?.(change.path);
      timeline({
        key: `fs:${randomUUID()}`,
        occurredAt: change.at.toISOString(),
        type: 'file',
        label: change.path.slice(0, 500),
        action: change.action,
        ...(change.insertions !== undefined ? { insertions: change.insertions } : {}),
        ...(change.deletions !== undefined ? { deletions: change.deletions } : {}),
      });
    }
  };

  const onEvent = (event: ChatEvent) => {
    switch (event.type) {
      case 'turn_started':
        turnNumber++;
        currentTurn = event.turnId;
        turnPaths.clear();
        setActivity('active', event, { turnId: event.turnId });
        return;
      case 'tool_started': {
        const lower = event.name.toLowerCase();
        const command = commandOf(event.input);
        tools.set(event.toolUseId, {
          name: event.name,
          command: COMMAND_TOOLS.has(lower) || (command !== null && !FILE_TOOLS.has(lower)) ? (command ?? '') : null,
          startedAt: event.ts,
        });
        setActivity('tool_executing', event, { turnId: event.turnId, tool: event.name });
        return;
      }
      case 'tool_finished': {
        const tool = tools.get(event.toolUseId);
        tools.delete(event.toolUseId);
        if (tools.size === 0) setActivity('active', event, { turnId: event.turnId });
        if (!tool) return;
        if (tool.command !== null) {
          timeline({
            key: `tool:${event.turnId}:${event.toolUseId}`,
            occurredAt: tool.startedAt,
            type: 'terminal',
            label: firstLine(tool.command || tool.name, 80),
            exitCode: exitCodeOf(event.output, event.isError),
          });
        } else if (!FILE_TOOLS.has(tool.name.toLowerCase())) {
          timeline({
            key: `tool:${event.turnId}:${event.toolUseId}`,
            occurredAt: tool.startedAt,
            type: 'tool_use',
            label: firstLine(tool.name, 80),
          });
        }
        return;
      }
      case 'file_changed': {
        const path = relativePath(event.path);
        turnPaths.add(path);
        options.onChangedFile?.(path);
        timeline({
          key: `file:${event.seq}`,
          occurredAt: event.ts,
          type: 'file',
          label: path.slice(0, 500),
          action: event.action,
          ...(event.insertions !== undefined ? { insertions: event.insertions } : {}),
          ...(event.deletions !== undefined ? { deletions: event.deletions } : {}),
        });
        return;
      }
      case 'turn_completed': {
        const model = options.model();
        lastReply = event.text;
        safeEnqueue({
          kind: 'usage',
          key: `usage:${event.turnId}`,
          occurredAt: event.ts,
          turnId: event.turnId,
          model,
          ...event.usage,
          ...(event.costUsd !== undefined ? { costUsd: event.costUsd } : {}),
          durationMs: event.durationMs,
        });
        timeline({
          key: `message:${event.turnId}`,
          occurredAt: event.ts,
          type: 'message',
          label: firstLine(event.text, 80) || `Turn ${turnNumber}`,
          tokens: event.usage.inputTokens + event.usage.outputTokens,
          model,
        });
        endTurn(event);
        return;
      }
      case 'turn_failed':
        timeline({
          key: `error:${event.turnId}`,
          occurredAt: event.ts,
          type: 'error',
          label: firstLine(`Turn failed (${event.error.code}): ${event.error.message}`, 120),
        });
        endTurn(event);
        return;
      case 'error':
        timeline({
          key: `error:${event.seq}`,
          occurredAt: event.ts,
          type: 'error',
          label: firstLine(`${event.code}: ${event.message}`, 120),
        });
        return;
      default:
        return;
    }
  };

  const endTurn = (event: ChatEvent) => {
    currentTurn = null;
    tools.clear();
    const until = Date.now() + graceMs;
    for (const path of turnPaths) recent.set(path, until);
    for (const [path, time] of recent) if (time < Date.now()) recent.delete(path);
    setActivity('idle', event, {});
    const held = stashed;
    stashed = [];
    if (held.length > 0) emitFileChanges(held);
  };

  return {
    onEvents(events) {
      for (const event of events) {
        try {
          onEvent(event);
        } catch (error) {
          logger.error({ seq: event.seq, error: (error as Error).message }, 'could not derive reports from event');
        }
      }
    },
    onFileChanges(changes) {
      // During a turn the agent's own file_changed events may still be on their way.
      if (currentTurn) stashed.push(...changes);
      else emitFileChanges(changes);
    },
    onCommits(commits) {
      for (const commit of commits) {
        timeline({
          key: `git:${commit.hash}`,
          occurredAt: commit.committedAt.toISOString(),
          type: 'git',
          label: firstLine(commit.subject, 200),
          hash: commit.hash,
          insertions: commit.insertions,
          deletions: commit.deletions,
        });
      }
    },
    sessionStarted() {
      timeline({ key: 'session:start', occurredAt: now().toISOString(), type: 'session', label: 'Session started' });
    },
    connectionsChanged,
    get lastReply() {
      return lastReply;
    },
  };
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

function commandOf(input: Record<string, unknown>): string | null {
  const command = input.command ?? input.cmd;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return command.join(' ');
  return null;
}

/** CLIs put the exit code in the tool output ("Exit code 2", "exit_code: 2"); else the error flag decides. */
function exitCodeOf(output: string, isError: boolean): number {
  const match = /exit[ _]?code[":\s]+(-?\d+)/i.exec(output);
  return match?.[1] ? Number(match[1]) : isError ? 1 : 0;
}
