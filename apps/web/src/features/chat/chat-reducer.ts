/**
 * Chat protocol v1 events → what the chat view shows. Pure: the same events in the same
 * order always give the same state, whatever tab or reconnection they came through. Events
 * already applied (by `seq`) are ignored, so a replay that overlaps what a tab has seen
 * changes nothing.
 */
import type { ChatEvent, Usage } from '@volundr/contracts/chat';

export type ToolStatus = 'running' | 'done' | 'failed';
export type PermissionAnswer = 'allowed' | 'denied' | 'expired';

export type TurnBlock =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string }
  | {
      kind: 'tool';
      toolUseId: string;
      name: string;
      input: Record<string, unknown>;
      output: string | null;
      status: ToolStatus;
    }
  | {
      kind: 'file';
      path: string;
      action: 'created' | 'modified' | 'deleted';
      insertions?: number;
      deletions?: number;
    }
  | {
      kind: 'permission';
      requestId: string;
      toolName: string;
      input: Record<string, unknown>;
      answer: PermissionAnswer | null;
    };

export interface TurnView {
  kind: 'turn';
  turnId: string;
  userMessageId: string;
  status: 'running' | 'completed' | 'failed';
  blocks: TurnBlock[];
  startedAt: string;
  usage: Usage | null;
  costUsd: number | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
}

export interface UserMessageView {
  kind: 'user';
  id: string;
  text: string;
  author: string;
  ts: string;
  /** Sent from this tab and not yet echoed by the broker. */
  pending: boolean;
}

export interface ErrorView {
  kind: 'error';
  key: string;
  code: string;
  message: string;
  ts: string;
}

export type ChatItem = UserMessageView | TurnView | ErrorView;

export interface ChatViewState {
  /** The largest logged seq applied. */
  lastSeq: number;
  /** The seq of the latest `file_changed` event (0: none yet), so views of the files know to refresh. */
  lastFileChangeSeq: number;
  ready: { transport: string; model: string; capabilities: string[]; cliSessionId?: string } | null;
  items: ChatItem[];
  runningTurnId: string | null;
  totals: { inputTokens: number; outputTokens: number; costUsd: number; turns: number };
}

export type ChatAction =
  | { type: 'event'; event: ChatEvent }
  /** This tab sent a message: show it at once, replaced by the broker's echo. */
  | { type: 'local/sent'; id: string; text: string; author: string; ts: string }
  /** This tab answered a permission prompt (the broker does not echo answers). */
  | { type: 'local/permission'; requestId: string; allow: boolean };

export const initialChatState: ChatViewState = {
  lastSeq: 0,
  lastFileChangeSeq: 0,
  ready: null,
  items: [],
  runningTurnId: null,
  totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, turns: 0 },
};

export function chatReducer(state: ChatViewState, action: ChatAction): ChatViewState {
  switch (action.type) {
    case 'local/sent':
      if (state.items.some((i) => i.kind === 'user' && i.id === action.id)) return state;
      return {
        ...state,
        items: [
          ...state.items,
          { kind: 'user', id: action.id, text: action.text, author: action.author, ts: action.ts, pending: true },
        ],
      };
    case 'local/permission':
      return mapBlocks(state, (block) =>
        block.kind === 'permission' && block.requestId === action.requestId && block.answer === null
          ? { ...block, answer: action.allow ? 'allowed' : 'denied' }
          : block,
      );
    case 'event':
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: ChatViewState, event: ChatEvent): ChatViewState {
  if (event.ephemeral) return applyEphemeral(state, event);
  if (event.seq <= state.lastSeq) return state;
  const next = applyLogged({ ...state, lastSeq: event.seq }, event);
  return event.type === 'file_changed' ? { ...next, lastFileChangeSeq: event.seq } : next;
}

/** `ready`, `pong` and per-connection errors: never replayed, never move `lastSeq`. */
function applyEphemeral(state: ChatViewState, event: ChatEvent): ChatViewState {
  switch (event.type) {
    case 'ready':
      return {
        ...state,
        ready: {
          transport: event.transport,
          model: event.model,
          capabilities: event.capabilities,
          ...(event.cliSessionId ? { cliSessionId: event.cliSessionId } : {}),
        },
      };
    case 'error':
      // The broker's log was reset and it replays from 1: start the view over.
      if (event.code === 'after_out_of_range') return { ...initialChatState, ready: state.ready };
      return withError(state, `e-${event.seq}-${event.ts}-${event.code}`, event.code, event.message, event.ts);
    default:
      return state;
  }
}

function applyLogged(state: ChatViewState, event: ChatEvent): ChatViewState {
  switch (event.type) {
    case 'ready':
      return applyEphemeral(state, event);
    case 'pong':
      return state;
    case 'user_message': {
      const view: UserMessageView = {
        kind: 'user',
        id: event.id,
        text: event.text,
        author: event.author,
        ts: event.ts,
        pending: false,
      };
      const index = state.items.findIndex((i) => i.kind === 'user' && i.id === event.id);
      if (index === -1) return { ...state, items: [...state.items, view] };
      // Our optimistic copy: the echo confirms it. It moves to where the broker put it, so
      // every tab shows the same order.
      const items = state.items.filter((_, i) => i !== index);
      return { ...state, items: [...items, view] };
    }
    case 'turn_started': {
      if (findTurn(state, event.turnId)) return state;
      const turn: TurnView = {
        kind: 'turn',
        turnId: event.turnId,
        userMessageId: event.userMessageId,
        status: 'running',
        blocks: [],
        startedAt: event.ts,
        usage: null,
        costUsd: null,
        durationMs: null,
        error: null,
      };
      return { ...state, items: [...state.items, turn], runningTurnId: event.turnId };
    }
    case 'text_delta':
      return updateTurn(state, event.turnId, event.ts, (turn) => ({
        ...turn,
        blocks: appendText(turn.blocks, 'text', event.text),
      }));
    case 'thinking_delta':
      return updateTurn(state, event.turnId, event.ts, (turn) => ({
        ...turn,
        blocks: appendText(turn.blocks, 'thinking', event.text),
      }));
    case 'tool_started':
      return updateTurn(state, event.turnId, event.ts, (turn) => {
        if (turn.blocks.some((b) => b.kind === 'tool' && b.toolUseId === event.toolUseId)) return turn;
        return {
          ...turn,
          blocks: [
            ...turn.blocks,
            {
              kind: 'tool',
              toolUseId: event.toolUseId,
              name: event.name,
              input: event.input,
              output: null,
              status: 'running',
            },
          ],
        };
      });
    case 'tool_finished':
      return updateTurn(state, event.turnId, event.ts, (turn) => {
        const has = turn.blocks.some((b) => b.kind === 'tool' && b.toolUseId === event.toolUseId);
        const status: ToolStatus = event.isError ? 'failed' : 'done';
        if (!has) {
          // A finish without its start (joined mid-turn after a log reset): still show it.
          return {
            ...turn,
            blocks: [
              ...turn.blocks,
              { kind: 'tool', toolUseId: event.toolUseId, name: 'tool', input: {}, output: event.output, status },
            ],
          };
        }
        return {
          ...turn,
          blocks: turn.blocks.map((b) =>
            b.kind === 'tool' && b.toolUseId === event.toolUseId ? { ...b, output: event.output, status } : b,
          ),
        };
      });
    case 'file_changed':
      return updateTurn(state, event.turnId, event.ts, (turn) => {
        const chip: TurnBlock = {
          kind: 'file',
          path: event.path,
          action: event.action,
          ...(event.insertions !== undefined ? { insertions: event.insertions } : {}),
          ...(event.deletions !== undefined ? { deletions: event.deletions } : {}),
        };
        // One chip per path per turn: a later change of the same file updates it.
        const index = turn.blocks.findIndex((b) => b.kind === 'file' && b.path === event.path);
        if (index === -1) return { ...turn, blocks: [...turn.blocks, chip] };
        const previous = turn.blocks[index] as Extract<TurnBlock, { kind: 'file' }>;
        const merged: TurnBlock = {
          ...chip,
          action: previous.action === 'created' && event.action !== 'deleted' ? 'created' : event.action,
        };
        return { ...turn, blocks: turn.blocks.map((b, i) => (i === index ? merged : b)) };
      });
    case 'permission_request':
      return updateTurn(state, event.turnId, event.ts, (turn) => {
        if (turn.blocks.some((b) => b.kind === 'permission' && b.requestId === event.requestId)) return turn;
        return {
          ...turn,
          blocks: [
            ...turn.blocks,
            {
              kind: 'permission',
              requestId: event.requestId,
              toolName: event.toolName,
              input: event.input,
              answer: null,
            },
          ],
        };
      });
    case 'turn_completed': {
      const next = updateTurn(state, event.turnId, event.ts, (turn) => ({
        ...turn,
        status: 'completed',
        blocks: settle(reconcileText(turn.blocks, event.text), 'done'),
        usage: event.usage,
        costUsd: event.costUsd ?? null,
        durationMs: event.durationMs,
      }));
      return {
        ...next,
        runningTurnId: next.runningTurnId === event.turnId ? null : next.runningTurnId,
        totals: {
          inputTokens: next.totals.inputTokens + event.usage.inputTokens,
          outputTokens: next.totals.outputTokens + event.usage.outputTokens,
          costUsd: next.totals.costUsd + (event.costUsd ?? 0),
          turns: next.totals.turns + 1,
        },
      };
    }
    case 'turn_failed': {
      const next = updateTurn(state, event.turnId, event.ts, (turn) => ({
        ...turn,
        status: 'failed',
        blocks: settle(turn.blocks, 'failed'),
        error: event.error,
      }));
      return { ...next, runningTurnId: next.runningTurnId === event.turnId ? null : next.runningTurnId };
    }
    case 'error':
      return withError(state, `e-${event.seq}`, event.code, event.message, event.ts);
  }
}

function findTurn(state: ChatViewState, turnId: string): TurnView | undefined {
  return state.items.find((i): i is TurnView => i.kind === 'turn' && i.turnId === turnId);
}

/**
 * Applies `change` to the turn. An event for a turn this view never saw start (its start was
 * before a log reset) creates the turn, so nothing the broker says is dropped.
 */
function updateTurn(
  state: ChatViewState,
  turnId: string,
  ts: string,
  change: (turn: TurnView) => TurnView,
): ChatViewState {
  const exists = findTurn(state, turnId);
  if (!exists) {
    const turn: TurnView = {
      kind: 'turn',
      turnId,
      userMessageId: '',
      status: 'running',
      blocks: [],
      startedAt: ts,
      usage: null,
      costUsd: null,
      durationMs: null,
      error: null,
    };
    return { ...state, items: [...state.items, change(turn)], runningTurnId: state.runningTurnId ?? turnId };
  }
  return {
    ...state,
    items: state.items.map((i) => (i.kind === 'turn' && i.turnId === turnId ? change(i) : i)),
  };
}

function mapBlocks(state: ChatViewState, change: (block: TurnBlock) => TurnBlock): ChatViewState {
  return {
    ...state,
    items: state.items.map((i) => (i.kind === 'turn' ? { ...i, blocks: i.blocks.map(change) } : i)),
  };
}

/** Deltas of the same kind that follow each other join one block; a tool or chip in between starts a new one. */
function appendText(blocks: TurnBlock[], kind: 'text' | 'thinking', text: string): TurnBlock[] {
  const last = blocks[blocks.length - 1];
  if (last && last.kind === kind) return [...blocks.slice(0, -1), { kind, text: last.text + text }];
  return [...blocks, { kind, text }];
}

/**
 * `turn_completed.text` is the whole answer. If the streamed deltas do not add up to it (a
 * delta was lost, or the view joined mid-turn), the final text replaces the streamed pieces.
 */
function reconcileText(blocks: TurnBlock[], finalText: string): TurnBlock[] {
  const streamed = blocks.filter((b) => b.kind === 'text').map((b) => (b as { text: string }).text);
  if (streamed.join('') === finalText) return blocks;
  const first = blocks.findIndex((b) => b.kind === 'text');
  const others = blocks.filter((b) => b.kind !== 'text');
  if (finalText === '') return others;
  const at = first === -1 ? others.length : blocks.slice(0, first).filter((b) => b.kind !== 'text').length;
  return [...others.slice(0, at), { kind: 'text', text: finalText }, ...others.slice(at)];
}

/** When a turn ends nothing in it is still running and no prompt can still be answered. */
function settle(blocks: TurnBlock[], unfinishedTools: ToolStatus): TurnBlock[] {
  return blocks.map((b) => {
    if (b.kind === 'tool' && b.status === 'running') return { ...b, status: unfinishedTools };
    if (b.kind === 'permission' && b.answer === null) return { ...b, answer: 'expired' as const };
    return b;
  });
}

function withError(state: ChatViewState, key: string, code: string, message: string, ts: string): ChatViewState {
  if (state.items.some((i) => i.kind === 'error' && i.key === key)) return state;
  return { ...state, items: [...state.items, { kind: 'error', key, code, message, ts }] };
}

/** The full text of a turn as shown (its text blocks joined). */
export function turnText(turn: TurnView): string {
  return turn.blocks
    .filter((b) => b.kind === 'text')
    .map((b) => (b as { text: string }).text)
    .join('');
}
