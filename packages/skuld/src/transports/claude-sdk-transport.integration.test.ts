/**
 * The real `claude` binary (2.1.197) in stream-json mode against the fake Messages API. One
 * long-lived CLI process serves the turns in order, as in a real session; each `it` is one
 * turn and relies on the previous ones (vitest runs them in order).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZMessagesRequest } from '@volundr/testkit/fake-anthropic/request';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaudeSdkTransport } from './claude-sdk-transport';
import { type CliSandbox, childPids, claudeBinary, claudeSandbox } from './test/cli-sandbox';
import { EventRecorder } from './test/event-recorder';

let fake: FakeAnthropic;
let box: CliSandbox;
let transport: ClaudeSdkTransport;
const sessionIds: string[] = [];
let turnNo = 0;

/** Sum of the usage the fake reported for main requests from index `from` on. */
function reportedUsage(from: number) {
  const used = fake.mainRequests().slice(from);
  const sum = (k: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') =>
    used.reduce((n, r) => n + (r.usage?.[k] ?? 0), 0);
  return {
    inputTokens: sum('input_tokens'),
    outputTokens: sum('output_tokens'),
    cacheReadTokens: sum('cache_read_input_tokens'),
    cacheWriteTokens: sum('cache_creation_input_tokens'),
  };
}

function startTurn(text: string) {
  const recorder = new EventRecorder();
  const turnId = `turn-${++turnNo}`;
  const done = transport.runTurn({ turnId, userMessageId: `msg-${turnNo}`, text }, recorder);
  return { recorder, turnId, done };
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  box = await claudeSandbox(fake.url);
  transport = new ClaudeSdkTransport({
    workspaceDir: box.workspace,
    model: '',
    env: box.env,
    binary: claudeBinary,
    onCliSessionId: (id) => sessionIds.push(id),
  });
});

afterAll(async () => {
  await transport?.close();
  await fake?.close();
  await box?.cleanup();
});

describe('claude-sdk transport with the real CLI', () => {
  it('is ready when the binary runs and the workspace exists', async () => {
    expect(await transport.check()).toEqual({ ok: true });
  });

  it('streams text whose deltas make up the turn text, with the usage the API reported', async () => {
    const usage = {
      input_tokens: 1234,
      output_tokens: 56,
      cache_read_input_tokens: 700,
      cache_creation_input_tokens: 89,
    };
    fake.setScript([{ text: 'Hello from the fake model, streamed in several chunks.', usage }]);
    const { recorder, turnId, done } = startTurn('say hello');
    await done;

    const completed = recorder.ofType('turn_completed', turnId);
    expect(completed).toHaveLength(1);
    expect(recorder.ofType('text_delta', turnId).length).toBeGreaterThan(1);
    expect(recorder.textOf(turnId)).toBe('Hello from the fake model, streamed in several chunks.');
    expect(completed[0]?.text).toBe(recorder.textOf(turnId));
    expect(completed[0]?.usage).toEqual({
      inputTokens: 1234,
      outputTokens: 56,
      cacheReadTokens: 700,
      cacheWriteTokens: 89,
    });
    expect(completed[0]?.costUsd).toBeGreaterThan(0);
    expect(recorder.invalid).toEqual([]);
    expect(transport.cliSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sessionIds).toEqual([transport.cliSessionId]);
  });

  it('asks permission for a Write, writes the file once allowed, and reports the change', async () => {
    const from = fake.mainRequests().length;
    const path = join(box.workspace, 'notes.txt');
    fake.setScript([
      { text: 'Writing the notes.', toolUse: { name: 'Write', input: { file_path: path, content: 'one\ntwo\n' } } },
      { text: 'The notes are written.' },
    ]);
    const { recorder, turnId, done } = startTurn('write notes');
    const prompt = await recorder.waitFor('permission_request');
    expect(prompt).toMatchObject({ turnId, toolName: 'Write', input: { file_path: path } });
    expect(existsSync(path)).toBe(false);
    await transport.answerPermission(prompt.requestId, true);
    await done;

    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    const started = recorder.ofType('tool_started', turnId);
    expect(started).toMatchObject([{ name: 'Write', input: { file_path: path, content: 'one\ntwo\n' } }]);
    expect(recorder.ofType('tool_finished', turnId)).toMatchObject([
      { toolUseId: started[0]?.toolUseId, isError: false },
    ]);
    expect(recorder.ofType('file_changed', turnId)).toEqual([
      { type: 'file_changed', turnId, path: 'notes.txt', action: 'created', insertions: 2, deletions: 0 },
    ]);
    const completed = recorder.ofType('turn_completed', turnId)[0];
    expect(completed?.text).toBe('Writing the notes.\n\nThe notes are written.');
    expect(completed?.text).toBe(recorder.textOf(turnId));
    // Two API calls in this turn: usage is their sum, cost only this turn's share.
    expect(completed?.usage).toEqual(reportedUsage(from));
    expect(completed?.costUsd).toBeGreaterThan(0);
  });

  it('switches model in the live process and does not write a denied file', async () => {
    await transport.setModel('claude-sonnet-4-5');
    const path = join(box.workspace, 'denied.txt');
    const from = fake.mainRequests().length;
    fake.setScript([
      { toolUse: { name: 'Write', input: { file_path: path, content: 'no' } } },
      { text: 'Understood, not written.' },
    ]);
    const { recorder, turnId, done } = startTurn('write denied');
    const prompt = await recorder.waitFor('permission_request');
    await transport.answerPermission(prompt.requestId, false);
    await done;

    expect(existsSync(path)).toBe(false);
    expect(recorder.ofType('tool_finished', turnId)).toMatchObject([{ isError: true }]);
    expect(recorder.ofType('file_changed', turnId)).toEqual([]);
    expect(recorder.ofType('turn_completed', turnId)[0]?.text).toBe('Understood, not written.');
    expect(fake.mainRequests()[from]?.body).toMatchObject({ model: 'claude-sonnet-4-5' });
    expect(transport.model).toBe('claude-sonnet-4-5');
  });

  it('interrupts a turn mid-stream and keeps the process for the next turn', async () => {
    fake.setScript([{ text: 'This answer is long and will be cut off', hold: true }, { text: 'Fresh answer.' }]);
    const { recorder, turnId, done } = startTurn('take your time');
    await recorder.waitFor('text_delta');
    await transport.interrupt();
    await done;
    expect(recorder.ofType('turn_failed', turnId)).toMatchObject([{ error: { code: 'interrupted' } }]);
    expect(recorder.ofType('turn_completed', turnId)).toEqual([]);

    const next = startTurn('again');
    await next.done;
    expect(next.recorder.ofType('turn_completed', next.turnId)[0]?.text).toBe('Fresh answer.');
  });

  it('fails the turn when the CLI is killed, then resumes the same session in a new process', async () => {
    fake.setScript([{ text: 'I will not finish this', hold: true }, { text: 'Back, with the history.' }]);
    const sessionBefore = transport.cliSessionId;
    const { recorder, turnId, done } = startTurn('you will crash');
    await recorder.waitFor('text_delta');
    const [pid] = await childPids('claude');
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    await done;
    const failed = recorder.ofType('turn_failed', turnId);
    expect(failed).toMatchObject([{ error: { code: 'transport_exited' } }]);
    expect(failed[0]?.error.message).toContain('SIGKILL');

    const from = fake.mainRequests().length;
    const next = startTurn('are you there?');
    await next.done;
    expect(next.recorder.ofType('turn_completed', next.turnId)[0]?.text).toBe('Back, with the history.');
    expect(transport.cliSessionId).toBe(sessionBefore);
    // The resumed process sent the earlier conversation along with the new message.
    const { messages } = ZMessagesRequest.parse(fake.mainRequests()[from]?.body);
    expect(messages.length).toBeGreaterThan(4);
    expect(JSON.stringify(messages)).toContain('write notes');
    expect(sessionIds).toEqual([sessionBefore]);
  });

  it('summarizes the session for the final report in a private turn', async () => {
    const summary = '{"summary":"Wrote notes.txt","keyChanges":["notes.txt"],"unfinishedWork":""}';
    fake.setScript([{ text: summary }]);
    expect(await transport.summarize(10_000)).toBe(summary);
    expect(JSON.stringify(fake.mainRequests().at(-1)?.body)).toContain('Reply with JSON only');
  });
});
