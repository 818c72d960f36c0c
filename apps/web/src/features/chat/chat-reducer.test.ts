import type { ChatEvent, ChatEventBody } from '@volundr/contracts/chat';
import { ZChatEvent } from '@volundr/contracts/chat';
import { describe, expect, it } from 'vitest';
import {
  type ChatAction,
  type ChatViewState,
  chatReducer,
  initialChatState,
  type TurnView,
  turnText,
} from './chat-reducer';

/** Builds valid protocol events (each checked against the contract schema). */
function events(...bodies: Array<ChatEventBody & { ephemeral?: true; seq?: number }>): ChatEvent[] {
  let seq = 0;
  return bodies.map((body) => {
    const event = { ts: `2026-01-01T00:00:${String(seq).padStart(2, '0')}Z`, ...body, seq: body.seq ?? ++seq };
    if (!body.ephemeral && body.seq !== undefined) seq = body.seq;
    return ZChatEvent.parse(event) as ChatEvent;
  });
}

const run = (list: ChatEvent[], from: ChatViewState = initialChatState) =>
  list.reduce((s, event) => chatReducer(s, { type: 'event', event }), from);
const apply = (state: ChatViewState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);
const turn = (state: ChatViewState, id = 't1') =>
  state.items.find((i): i is TurnView => i.kind === 'turn' && i.turnId === id);

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 1, cacheWriteTokens: 0 };

describe('chatReducer', () => {
  it('ready: records transport, model and capabilities without moving lastSeq', () => {
    const s = run(
      events({
        type: 'ready',
        transport: 'claude-sdk',
        model: 'claude-sonnet-4-5',
        capabilities: ['interrupt', 'set_model'],
        cliSessionId: 'c1',
        ephemeral: true,
        seq: 4,
      }),
    );
    expect(s.ready).toEqual({
      transport: 'claude-sdk',
      model: 'claude-sonnet-4-5',
      capabilities: ['interrupt', 'set_model'],
      cliSessionId: 'c1',
    });
    expect(s.lastSeq).toBe(0);
  });

  it('user_message: appends the echo, and replaces this tab’s pending copy at the broker’s position', () => {
    let s = apply(initialChatState, { type: 'local/sent', id: 'm1', text: 'hi', author: 'me', ts: 'x' });
    expect(s.items).toEqual([{ kind: 'user', id: 'm1', text: 'hi', author: 'me', ts: 'x', pending: true }]);
    s = run(events({ type: 'user_message', id: 'm0', text: 'from another tab', author: 'ann' }), s);
    s = run(events({ type: 'user_message', id: 'm1', text: 'hi', author: 'me', seq: 2 }), s);
    expect(s.items.map((i) => (i.kind === 'user' ? `${i.id}:${i.pending}` : i.kind))).toEqual(['m0:false', 'm1:false']);
    // A second local send with the same id (a retry) adds nothing.
    expect(apply(s, { type: 'local/sent', id: 'm1', text: 'hi', author: 'me', ts: 'y' })).toBe(s);
  });

  it('turn_started + text_delta: streams text into one block; thinking_delta into its own', () => {
    const s = run(
      events(
        { type: 'user_message', id: 'm1', text: 'write', author: 'me' },
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'thinking_delta', turnId: 't1', text: 'Let me ' },
        { type: 'thinking_delta', turnId: 't1', text: 'think.' },
        { type: 'text_delta', turnId: 't1', text: 'Hel' },
        { type: 'text_delta', turnId: 't1', text: 'lo' },
      ),
    );
    expect(s.runningTurnId).toBe('t1');
    expect(turn(s)?.status).toBe('running');
    expect(turn(s)?.userMessageId).toBe('m1');
    expect(turn(s)?.blocks).toEqual([
      { kind: 'thinking', text: 'Let me think.' },
      { kind: 'text', text: 'Hello' },
    ]);
  });

  it('tool_started / tool_finished: a tool card with input, then output and status', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'text_delta', turnId: 't1', text: 'Writing.' },
        { type: 'tool_started', turnId: 't1', toolUseId: 'u1', name: 'Write', input: { file_path: 'hello.txt' } },
        { type: 'tool_started', turnId: 't1', toolUseId: 'u2', name: 'Bash', input: { command: 'false' } },
        { type: 'tool_finished', turnId: 't1', toolUseId: 'u1', output: 'File created', isError: false },
        { type: 'tool_finished', turnId: 't1', toolUseId: 'u2', output: 'exit 1', isError: true },
        { type: 'text_delta', turnId: 't1', text: 'Done.' },
      ),
    );
    expect(turn(s)?.blocks).toEqual([
      { kind: 'text', text: 'Writing.' },
      {
        kind: 'tool',
        toolUseId: 'u1',
        name: 'Write',
        input: { file_path: 'hello.txt' },
        output: 'File created',
        status: 'done',
      },
      { kind: 'tool', toolUseId: 'u2', name: 'Bash', input: { command: 'false' }, output: 'exit 1', status: 'failed' },
      { kind: 'text', text: 'Done.' },
    ]);
  });

  it('tool_finished without its start still shows a card', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'tool_finished', turnId: 't1', toolUseId: 'u9', output: 'ok', isError: false },
      ),
    );
    expect(turn(s)?.blocks).toEqual([
      { kind: 'tool', toolUseId: 'u9', name: 'tool', input: {}, output: 'ok', status: 'done' },
    ]);
  });

  it('file_changed: one chip per path per turn, a create stays a create', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'file_changed', turnId: 't1', path: 'hello.txt', action: 'created', insertions: 1, deletions: 0 },
        { type: 'file_changed', turnId: 't1', path: 'hello.txt', action: 'modified', insertions: 2, deletions: 1 },
        { type: 'file_changed', turnId: 't1', path: 'old.txt', action: 'deleted' },
      ),
    );
    expect(turn(s)?.blocks).toEqual([
      { kind: 'file', path: 'hello.txt', action: 'created', insertions: 2, deletions: 1 },
      { kind: 'file', path: 'old.txt', action: 'deleted' },
    ]);
    // Every change moves the marker the Changes tab refreshes on, even one that changes no chip.
    expect(s.lastFileChangeSeq).toBe(4);
    expect(initialChatState.lastFileChangeSeq).toBe(0);
  });

  it('permission_request: a prompt answered locally; unanswered prompts expire with the turn', () => {
    let s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'permission_request', turnId: 't1', requestId: 'p1', toolName: 'Bash', input: { command: 'rm x' } },
        { type: 'permission_request', turnId: 't1', requestId: 'p2', toolName: 'Write', input: {} },
      ),
    );
    s = apply(s, { type: 'local/permission', requestId: 'p1', allow: false });
    expect(turn(s)?.blocks.map((b) => (b.kind === 'permission' ? b.answer : null))).toEqual(['denied', null]);
    s = run(events({ type: 'turn_completed', turnId: 't1', text: '', usage, durationMs: 5, seq: 4 }), s);
    expect(turn(s)?.blocks.map((b) => (b.kind === 'permission' ? b.answer : null))).toEqual(['denied', 'expired']);
  });

  it('turn_completed: usage, cost, duration and totals; a running tool is settled as done', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'tool_started', turnId: 't1', toolUseId: 'u1', name: 'Read', input: {} },
        { type: 'text_delta', turnId: 't1', text: 'Hi' },
        { type: 'turn_completed', turnId: 't1', text: 'Hi', usage, costUsd: 0.25, durationMs: 1200 },
        { type: 'turn_started', turnId: 't2', userMessageId: 'm2' },
        { type: 'turn_completed', turnId: 't2', text: 'Yo', usage, durationMs: 10 },
      ),
    );
    expect(turn(s)).toMatchObject({ status: 'completed', usage, costUsd: 0.25, durationMs: 1200 });
    expect(turn(s)?.blocks[0]).toMatchObject({ kind: 'tool', status: 'done' });
    expect(turnText(turn(s, 't2') as TurnView)).toBe('Yo');
    expect(s.runningTurnId).toBeNull();
    expect(s.totals).toEqual({ inputTokens: 20, outputTokens: 10, costUsd: 0.25, turns: 2 });
  });

  it('turn_completed replaces streamed text that does not add up to the final text', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'text_delta', turnId: 't1', text: 'Hel' },
        { type: 'tool_started', turnId: 't1', toolUseId: 'u1', name: 'Write', input: {} },
        { type: 'text_delta', turnId: 't1', text: 'wrong' },
        { type: 'turn_completed', turnId: 't1', text: 'Hello world', usage, durationMs: 1 },
      ),
    );
    expect(turn(s)?.blocks.map((b) => b.kind)).toEqual(['text', 'tool']);
    expect(turnText(turn(s) as TurnView)).toBe('Hello world');
  });

  it('turn_failed: the error on the turn, running tools marked failed', () => {
    const s = run(
      events(
        { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
        { type: 'tool_started', turnId: 't1', toolUseId: 'u1', name: 'Bash', input: {} },
        { type: 'turn_failed', turnId: 't1', error: { code: 'transport_exited', message: 'claude exited with 1' } },
      ),
    );
    expect(turn(s)).toMatchObject({
      status: 'failed',
      error: { code: 'transport_exited', message: 'claude exited with 1' },
    });
    expect(turn(s)?.blocks[0]).toMatchObject({ status: 'failed' });
    expect(s.runningTurnId).toBeNull();
  });

  it('error: logged and per-connection errors appear once; pong changes nothing', () => {
    const logged = events(
      { type: 'error', code: 'transport_unavailable', message: 'claude not found' },
      { type: 'error', code: 'bad_request', message: 'not JSON', ephemeral: true, seq: 1 },
      { type: 'pong', ephemeral: true, seq: 1 },
    );
    const s = run(logged);
    expect(s.items).toEqual([
      { kind: 'error', key: 'e-1', code: 'transport_unavailable', message: 'claude not found', ts: expect.any(String) },
      {
        kind: 'error',
        key: expect.stringContaining('bad_request'),
        code: 'bad_request',
        message: 'not JSON',
        ts: expect.any(String),
      },
    ]);
    expect(run(logged.slice(1, 2), s)).toBe(s);
    expect(s.lastSeq).toBe(1);
  });

  it('ignores events already applied, so an overlapping replay after a reconnect adds nothing', () => {
    const stream = events(
      { type: 'user_message', id: 'm1', text: 'hello', author: 'me' },
      { type: 'turn_started', turnId: 't1', userMessageId: 'm1' },
      { type: 'text_delta', turnId: 't1', text: 'A' },
      { type: 'text_delta', turnId: 't1', text: 'B' },
      { type: 'turn_completed', turnId: 't1', text: 'AB', usage, durationMs: 3 },
    );
    const once = run(stream);
    // First connection saw 1-3, was cut, the reconnect replays 2-5 (overlap 2-3).
    const twice = run([...stream.slice(1)], run(stream.slice(0, 3)));
    expect(twice).toEqual(once);
    expect(turnText(turn(twice) as TurnView)).toBe('AB');
    expect(run(stream, once)).toBe(once);
  });

  it('after_out_of_range: the broker log was reset, the view starts over and takes the replay', () => {
    const before = run(events({ type: 'user_message', id: 'm1', text: 'old', author: 'me' }, { type: 'pong', seq: 9 }));
    const reset = run(
      events(
        { type: 'error', code: 'after_out_of_range', message: 'log reset', ephemeral: true, seq: 9 },
        { type: 'user_message', id: 'n1', text: 'new', author: 'me', seq: 1 },
      ),
      before,
    );
    expect(reset.items).toEqual([expect.objectContaining({ kind: 'user', id: 'n1' })]);
    expect(reset.lastSeq).toBe(1);
  });

  it('events for a turn it never saw start create that turn', () => {
    const s = run(events({ type: 'text_delta', turnId: 'tX', text: 'mid-answer' }));
    expect(turn(s, 'tX')).toMatchObject({ status: 'running', blocks: [{ kind: 'text', text: 'mid-answer' }] });
    expect(s.runningTurnId).toBe('tX');
  });
});
