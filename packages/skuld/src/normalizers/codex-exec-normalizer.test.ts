/**
 * The Codex normalizer fed line by line with output captured from the real `codex exec --json`
 * 0.171.0 (fixtures/codex-exec-session.ndjson: three processes of one thread — a turn with
 * reasoning, two shell commands (one failing) and a patch adding/updating/deleting files; a
 * resumed turn; a turn whose model stream failed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatEventBody, ZChatEventBody } from '@volundr/contracts/chat';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodexExecNormalizer, costOf } from './codex-exec-normalizer';

const workspaceDir = '/tmp/volundr-fixture-ws';
const fixture = readFileSync(join(import.meta.dirname, 'fixtures/codex-exec-session.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const threadId = '01a241c6-f16e-7572-a51c-76f5d9e91e79';

function replay() {
  let clock = 1_000;
  const n = new CodexExecNormalizer({
    workspaceDir,
    now: () => clock,
    price: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
  });
  const events: ChatEventBody[] = [];
  const threadIds: string[] = [];
  let turn = 0;
  for (const line of fixture) {
    // Each process is one turn; the broker starts the turn before it spawns codex.
    if (line.includes('"thread.started"')) n.beginTurn(`t${++turn}`);
    clock += 10;
    const out = n.push(line);
    if (out.threadId) threadIds.push(out.threadId);
    events.push(...out.events);
  }
  return { events, threadIds };
}

const of = <T extends ChatEventBody['type']>(events: ChatEventBody[], type: T, turnId: string) =>
  events.filter(
    (e): e is Extract<ChatEventBody, { type: T }> => e.type === type && 'turnId' in e && e.turnId === turnId,
  );

describe('CodexExecNormalizer on captured CLI output', () => {
  const { events, threadIds } = replay();

  it('emits only schema-valid events and reports the thread id of every process', () => {
    for (const e of events) expect(ZChatEventBody.safeParse(e).success).toBe(true);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(threadIds).toEqual([threadId, threadId, threadId]);
  });

  it('turn 1: reasoning, messages, commands and the patch', () => {
    expect(of(events, 'thinking_delta', 't1')).toEqual([
      { type: 'thinking_delta', turnId: 't1', text: 'Plan the edits.' },
    ]);
    expect(of(events, 'text_delta', 't1').map((e) => e.text)).toEqual(['Starting.', '\n\nAll done.']);
    expect(of(events, 'tool_started', 't1')).toEqual([
      {
        type: 'tool_started',
        turnId: 't1',
        toolUseId: 'item_2',
        name: 'shell',
        input: { command: "/bin/bash -lc 'echo hello > made.txt && cat made.txt'" },
      },
      {
        type: 'tool_started',
        turnId: 't1',
        toolUseId: 'item_3',
        name: 'shell',
        input: { command: "/bin/bash -lc 'ls missing-dir'" },
      },
      {
        type: 'tool_started',
        turnId: 't1',
        toolUseId: 'item_4',
        name: 'apply_patch',
        input: {
          changes: [
            { path: 'added.txt', kind: 'add' },
            { path: 'e.txt', kind: 'update' },
            { path: 'gone.txt', kind: 'delete' },
          ],
        },
      },
    ]);
    expect(of(events, 'tool_finished', 't1').map((e) => [e.toolUseId, e.isError, e.output])).toEqual([
      ['item_2', false, 'hello\n'],
      ['item_3', true, "ls: cannot access 'missing-dir': No such file or directory\n"],
      ['item_4', false, 'add added.txt\nupdate e.txt\ndelete gone.txt'],
    ]);
    expect(of(events, 'file_changed', 't1').map((e) => [e.path, e.action])).toEqual([
      ['added.txt', 'created'],
      ['e.txt', 'modified'],
      ['gone.txt', 'deleted'],
    ]);
  });

  it('turn 1 completes with the thread totals as usage, its cost and duration', () => {
    const usage = { inputTokens: 4000, outputTokens: 200, cacheReadTokens: 800, cacheWriteTokens: 40 };
    expect(of(events, 'turn_completed', 't1')).toEqual([
      {
        type: 'turn_completed',
        turnId: 't1',
        text: 'Starting.\n\nAll done.',
        usage,
        costUsd: (3200 * 2 + 800 * 0.5 + 200 * 8) / 1e6,
        durationMs: 120,
      },
    ]);
  });

  it('turn 2 (resumed): usage is the difference to the previous thread total', () => {
    expect(of(events, 'turn_completed', 't2')[0]).toMatchObject({
      text: 'Resumed answer.',
      usage: { inputTokens: 3000, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it('turn 3: turn.failed fails the turn; the error line before it does not', () => {
    expect(of(events, 'turn_failed', 't3')).toEqual([
      {
        type: 'turn_failed',
        turnId: 't3',
        error: { code: 'cli_error', message: 'stream disconnected before completion: upstream overloaded' },
      },
    ]);
  });
});

describe('CodexExecNormalizer edge cases', () => {
  const fresh = () => {
    const n = new CodexExecNormalizer({ workspaceDir, now: () => 0 });
    n.beginTurn('t');
    return n;
  };

  it('treats retry notices as non-fatal, but names the last one if the process then dies', () => {
    const n = fresh();
    // Captured from codex 0.171.0 while the fake API dropped the stream.
    const notice =
      '{"type":"error","message":"Reconnecting... 1/5 (stream disconnected before completion: model exploded)"}';
    expect(n.push(notice)).toEqual({ events: [] });
    expect(n.currentTurnId).toBe('t');
    const [failed] = n.processExited({ code: 1, signal: null, stderrTail: 'Reading additional input from stdin...\n' });
    expect(failed).toMatchObject({ type: 'turn_failed', error: { code: 'transport_exited' } });
    expect(JSON.stringify(failed)).toContain('Reconnecting... 1/5');
    expect(n.processExited({ code: 1, signal: null })).toEqual([]);
  });

  it('reports a thread that cannot be resumed as cli_session_lost, naming the error line', () => {
    const n = fresh();
    // Captured stderr of `codex exec resume <unknown id>` (exit code 1, no stdout).
    const stderrTail = [
      'WARNING: proceeding, even though we could not create PATH aliases',
      'Error: thread/resume: thread/resume failed: no rollout found for thread id 01a241c6-f16e-7572-a51c-76f5d9e91e70 (code -32600)',
      '',
      'Stack backtrace:',
      '   0: <unknown>',
      '   1: <unknown>',
    ].join('\n');
    const [failed] = n.processExited({ code: 1, signal: null, stderrTail });
    expect(failed).toMatchObject({ type: 'turn_failed', error: { code: 'cli_session_lost' } });
    expect(JSON.stringify(failed)).toContain('no rollout found for thread id 01a241c6');
  });

  it('reports an interrupted process as interrupted', () => {
    const n = fresh();
    n.markInterrupted();
    expect(n.processExited({ code: 1, signal: null })[0]).toMatchObject({ error: { code: 'interrupted' } });
  });

  it('omits costUsd without a price and never counts usage below zero', () => {
    const n = fresh();
    const done = (input: number) =>
      JSON.stringify({
        type: 'turn.completed',
        usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: 1 },
      });
    const first = n.push(done(100)).events[0];
    expect(first).not.toHaveProperty('costUsd');
    n.beginTurn('u');
    // A smaller total (a thread that was reset) is taken as the turn's own count.
    expect(n.push(done(40)).events[0]).toMatchObject({ usage: { inputTokens: 40 } });
  });

  it('turns malformed lines into error events and ignores unknown types and items', () => {
    const n = fresh();
    expect(n.push('oops').events[0]).toMatchObject({ type: 'error', code: 'cli_output_malformed' });
    expect(n.push('{"type":"turn.completed","usage":{}}').events[0]).toMatchObject({ type: 'error' });
    expect(n.push('{"type":"item.completed","item":{"id":"i","type":"command_execution"}}').events[0]).toMatchObject({
      type: 'error',
    });
    expect(n.push('{"type":"item.completed","item":{"id":"i","type":"todo_list","items":[]}}')).toEqual({ events: [] });
    expect(n.push('{"type":"something.new"}')).toEqual({ events: [] });
    expect(n.currentTurnId).toBe('t');
  });

  it('never throws and only emits valid events, whatever the line', () => {
    const n = fresh();
    const lines = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({
          type: fc.constantFrom(
            'item.started',
            'item.completed',
            'turn.completed',
            'turn.failed',
            'thread.started',
            'error',
          ),
          item: fc.record({ id: fc.string(), type: fc.constantFrom('agent_message', 'file_change', 'mcp_tool_call') }),
        })
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(lines, (line) => {
        for (const e of n.push(line).events) expect(ZChatEventBody.safeParse(e).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('prices cached input at the cached rate', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 400_000, cacheWriteTokens: 0 };
    expect(costOf(usage, { inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 4 })).toBeCloseTo(
      0.6 + 0.04 + 4,
      10,
    );
    expect(costOf(usage, { inputPerMTok: 1, outputPerMTok: 4 })).toBeCloseTo(5, 10);
  });
});
