/**
 * The Claude normalizer fed line by line with output captured from the real CLI 2.1.197
 * (fixtures/claude-sdk-session.ndjson: four turns of one stream-json process — a greeting with
 * thinking; Write + Read + Edit + Bash rm, all allowed; a denied Write; an interrupted turn).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatEventBody, ZChatEventBody } from '@volundr/contracts/chat';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClaudeLineOutcome, ClaudeStreamNormalizer } from './claude-stream-normalizer';

const workspaceDir = '/tmp/volundr-fixture-ws';
const fixture = readFileSync(join(import.meta.dirname, 'fixtures/claude-sdk-session.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const results = fixture.map((l) => JSON.parse(l)).filter((j) => j.type === 'result');

interface Replay {
  events: ChatEventBody[];
  outcomes: ClaudeLineOutcome[];
}

/** Feeds the fixture, starting turn `t<n>` before each turn and interrupting the fourth. */
function replay(lines: string[], normalizer = new ClaudeStreamNormalizer({ workspaceDir })): Replay {
  const events: ChatEventBody[] = [];
  const outcomes: ClaudeLineOutcome[] = [];
  let turn = 1;
  normalizer.processStarted();
  normalizer.beginTurn('t1');
  for (const line of lines) {
    const out = normalizer.push(line);
    outcomes.push(out);
    events.push(...out.events);
    // The host interrupted the fourth turn once its text started, as the capture did.
    if (turn === 4 && out.events.some((e) => e.type === 'text_delta')) normalizer.markInterrupted();
    if (out.turnEnded) normalizer.beginTurn(`t${++turn}`);
  }
  return { events, outcomes };
}

const of = <T extends ChatEventBody['type']>(events: ChatEventBody[], type: T, turnId: string) =>
  events.filter(
    (e): e is Extract<ChatEventBody, { type: T }> => e.type === type && 'turnId' in e && e.turnId === turnId,
  );
const text = (events: ChatEventBody[], turnId: string) =>
  of(events, 'text_delta', turnId)
    .map((e) => e.text)
    .join('');

describe('ClaudeStreamNormalizer on captured CLI output', () => {
  const { events, outcomes } = replay(fixture);

  it('emits only schema-valid protocol events and no errors', () => {
    for (const e of events) expect(ZChatEventBody.safeParse(e).success).toBe(true);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('reports the session id and model from the repeated system/init', () => {
    const ids = new Set(outcomes.flatMap((o) => (o.sessionId ? [o.sessionId] : [])));
    expect([...ids]).toEqual(['f9b65fdd-c35a-49fe-8841-98cdc6e1e261']);
    expect(outcomes.find((o) => o.model)?.model).toBe('claude-opus-4-8[1m]');
  });

  it('turn 1: thinking and text deltas, usage mapped, cost of the turn', () => {
    expect(
      of(events, 'thinking_delta', 't1')
        .map((e) => e.text)
        .join(''),
    ).toBe('The user greets me.');
    expect(of(events, 'text_delta', 't1').length).toBeGreaterThan(1);
    expect(text(events, 't1')).toBe('Hello! How can I help today?');
    expect(of(events, 'turn_completed', 't1')).toEqual([
      {
        type: 'turn_completed',
        turnId: 't1',
        text: 'Hello! How can I help today?',
        usage: { inputTokens: 120, outputTokens: 12, cacheReadTokens: 30, cacheWriteTokens: 5 },
        costUsd: results[0].total_cost_usd,
        durationMs: results[0].duration_ms,
      },
    ]);
  });

  it('turn 2: permission prompts, tool start/finish pairs and the files changed', () => {
    expect(of(events, 'permission_request', 't2').map((e) => e.toolName)).toEqual(['Write', 'Edit', 'Bash']);
    expect(outcomes.filter((o) => o.permission).map((o) => o.permission?.toolName)).toEqual([
      'Write',
      'Edit',
      'Bash',
      'Write',
    ]);
    const started = of(events, 'tool_started', 't2');
    expect(started.map((e) => e.name)).toEqual(['Write', 'Read', 'Edit', 'Bash']);
    const finished = of(events, 'tool_finished', 't2');
    expect(finished.map((e) => [e.toolUseId, e.isError])).toEqual(started.map((e) => [e.toolUseId, false]));
    expect(finished[1]?.output).toContain('alpha');
    expect(of(events, 'file_changed', 't2')).toEqual([
      { type: 'file_changed', turnId: 't2', path: 'notes.txt', action: 'created', insertions: 3, deletions: 0 },
      { type: 'file_changed', turnId: 't2', path: 'e.txt', action: 'modified', insertions: 2, deletions: 1 },
      { type: 'file_changed', turnId: 't2', path: 'gone.txt', action: 'deleted' },
    ]);
    const completed = of(events, 'turn_completed', 't2')[0];
    expect(completed?.text).toBe('Creating notes.\n\nDone: notes written, e.txt edited, gone.txt removed.');
    expect(completed?.text).toBe(text(events, 't2'));
    expect(completed?.usage).toEqual({ inputTokens: 500, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 });
    // total_cost_usd is cumulative per process: the turn gets the difference.
    expect(completed?.costUsd).toBeCloseTo(results[1].total_cost_usd - results[0].total_cost_usd, 12);
  });

  it('turn 3: a denied Write finishes as an error and changes no file', () => {
    expect(of(events, 'tool_finished', 't3')).toMatchObject([
      { isError: true, output: 'The user denied this action.' },
    ]);
    expect(of(events, 'file_changed', 't3')).toEqual([]);
    expect(of(events, 'turn_completed', 't3')[0]?.text).toBe('Okay, I will not write it.');
  });

  it('turn 4: the interrupted turn fails with code interrupted', () => {
    expect(of(events, 'turn_failed', 't4')).toEqual([
      { type: 'turn_failed', turnId: 't4', error: { code: 'interrupted', message: 'interrupted' } },
    ]);
    expect(of(events, 'turn_completed', 't4')).toEqual([]);
  });

  it('ends every turn exactly once', () => {
    const terminal = events.filter((e) => e.type === 'turn_completed' || e.type === 'turn_failed');
    expect(terminal.map((e) => ('turnId' in e ? e.turnId : ''))).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('uses assistant blocks for text when there are no stream events (no partial messages)', () => {
    const { events: plain } = replay(fixture.filter((l) => !l.includes('"type":"stream_event"')));
    expect(text(plain, 't1')).toBe('Hello! How can I help today?');
    expect(of(plain, 'thinking_delta', 't1').map((e) => e.text)).toEqual(['The user greets me.']);
    expect(of(plain, 'turn_completed', 't2')[0]?.text).toBe(text(plain, 't2'));
    expect(text(plain, 't2')).toBe('Creating notes.\n\nDone: notes written, e.txt edited, gone.txt removed.');
  });
});

describe('ClaudeStreamNormalizer edge cases', () => {
  const fresh = () => {
    const n = new ClaudeStreamNormalizer({ workspaceDir });
    n.processStarted();
    n.beginTurn('t');
    return n;
  };

  it('turns a non-JSON line, JSON without a type and a malformed known line into error events', () => {
    const n = fresh();
    for (const line of ['not json at all', '[1,2]', '{"type":"result"}', '{"type":"assistant","message":{}}']) {
      const out = n.push(line);
      expect(out.events).toHaveLength(1);
      expect(out.events[0]).toMatchObject({ type: 'error', code: 'cli_output_malformed' });
      expect(out.turnEnded).toBeUndefined();
    }
    expect(n.currentTurnId).toBe('t');
  });

  it('ignores unknown line types and blank lines', () => {
    const n = fresh();
    expect(n.push('{"type":"rate_limit_event","info":{}}')).toEqual({ events: [] });
    expect(n.push('   ')).toEqual({ events: [] });
  });

  it('never throws and only emits valid events, whatever the line', () => {
    const n = fresh();
    const lines = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({ type: fc.constantFrom('assistant', 'user', 'result', 'stream_event', 'control_request', 'system') })
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(lines, (line) => {
        for (const e of n.push(line).events) expect(ZChatEventBody.safeParse(e).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('drops sub-agent text and keeps its tool calls', () => {
    const n = fresh();
    const sub = n.push(
      JSON.stringify({
        type: 'stream_event',
        parent_tool_use_id: 'toolu_parent',
        event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'inner' } },
      }),
    );
    expect(sub.events).toEqual([]);
    const tool = n.push(
      JSON.stringify({
        type: 'assistant',
        parent_tool_use_id: 'toolu_parent',
        message: {
          id: 'm',
          content: [
            { type: 'text', text: 'inner' },
            { type: 'tool_use', id: 'x', name: 'Grep', input: {} },
          ],
        },
      }),
    );
    expect(tool.events).toEqual([{ type: 'tool_started', turnId: 't', toolUseId: 'x', name: 'Grep', input: {} }]);
  });

  it('asks the host to refuse control requests it does not handle, and passes control responses on', () => {
    const n = fresh();
    expect(
      n.push('{"type":"control_request","request_id":"r1","request":{"subtype":"hook_callback"}}').unsupportedControl,
    ).toEqual({ requestId: 'r1', subtype: 'hook_callback' });
    expect(
      n.push('{"type":"control_response","response":{"subtype":"error","request_id":"r2","error":"nope"}}')
        .controlResponse,
    ).toEqual({ requestId: 'r2', ok: false, error: 'nope' });
  });

  it('ends an open turn as transport_exited, or interrupted when an interrupt was asked for', () => {
    const n = fresh();
    expect(n.abortTurn('claude was killed by SIGKILL during the turn')).toEqual([
      {
        type: 'turn_failed',
        turnId: 't',
        error: { code: 'transport_exited', message: 'claude was killed by SIGKILL during the turn' },
      },
    ]);
    expect(n.abortTurn('again')).toEqual([]);
    n.beginTurn('u');
    n.markInterrupted();
    expect(n.abortTurn('killed')[0]).toMatchObject({ error: { code: 'interrupted' } });
  });

  it('restarts the cost baseline with each process', () => {
    const n = fresh();
    const result = (cost: number) =>
      JSON.stringify({ type: 'result', subtype: 'success', is_error: false, total_cost_usd: cost, usage: {} });
    expect(n.push(result(0.5)).events[0]).toMatchObject({ costUsd: 0.5 });
    n.beginTurn('t2');
    expect(n.push(result(0.75)).events[0]).toMatchObject({ costUsd: 0.25 });
    n.processStarted();
    n.beginTurn('t3');
    expect(n.push(result(0.1)).events[0]).toMatchObject({ costUsd: 0.1 });
  });

  it('reports a session that cannot be resumed as cli_session_lost, without its id', () => {
    const n = fresh();
    // Captured: `claude -p --resume <unknown id>` in stream-json mode.
    const line =
      '{"type":"result","subtype":"error_during_execution","duration_ms":0,"duration_api_ms":0,"is_error":true,"num_turns":0,"stop_reason":null,"session_id":"11111111-2222-3333-4444-555555555555","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"modelUsage":{},"permission_denials":[],"uuid":"c1b79d3a-a7b8-4ef0-ab0f-d53053938f59","errors":["No conversation found with session ID: 11111111-2222-3333-4444-555555555555"]}';
    const out = n.push(line);
    expect(out.sessionId).toBeUndefined();
    expect(out.events).toMatchObject([{ type: 'turn_failed', error: { code: 'cli_session_lost' } }]);
  });

  it('reports an API error result as cli_error with its text', () => {
    const n = fresh();
    const out = n.push(
      JSON.stringify({ type: 'result', subtype: 'success', is_error: true, result: 'API Error: 400 bad request' }),
    );
    expect(out.turnEnded).toBe(true);
    expect(out.events[0]).toMatchObject({ type: 'turn_failed', error: { code: 'cli_error' } });
    expect(JSON.stringify(out.events[0])).toContain('API Error: 400 bad request');
  });
});
