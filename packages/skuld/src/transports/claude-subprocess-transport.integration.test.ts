/**
 * The real `claude` binary, one `claude -p` process per message, against the fake Messages
 * API. Turns run in order and build on each other (resume needs the first turn's session).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaudeSubprocessTransport } from './claude-subprocess-transport';
import { type CliSandbox, claudeBinary, claudeSandbox } from './test/cli-sandbox';
import { EventRecorder } from './test/event-recorder';

let fake: FakeAnthropic;
let box: CliSandbox;
let transport: ClaudeSubprocessTransport;
let turnNo = 0;

function startTurn(text: string) {
  const recorder = new EventRecorder();
  const turnId = `turn-${++turnNo}`;
  const done = transport.runTurn({ turnId, userMessageId: `msg-${turnNo}`, text }, recorder);
  return { recorder, turnId, done };
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  box = await claudeSandbox(fake.url);
  transport = new ClaudeSubprocessTransport({
    workspaceDir: box.workspace,
    model: 'claude-haiku-4-5',
    env: box.env,
    binary: claudeBinary,
    systemPrompt: 'You work inside a Volundr session.',
  });
});

afterAll(async () => {
  await transport?.close();
  await fake?.close();
  await box?.cleanup();
});

describe('claude-subprocess transport with the real CLI', () => {
  it('streams text with the usage the API reported, prompt passed on stdin', async () => {
    const usage = { input_tokens: 42, output_tokens: 7, cache_read_input_tokens: 3, cache_creation_input_tokens: 2 };
    fake.setScript([{ text: 'A one-shot answer in pieces.', usage }]);
    // A message that would be an option in argv, and longer than one argv string may be.
    const long = `--not-a-flag ${'x'.repeat(140_000)}`;
    const { recorder, turnId, done } = startTurn(long);
    await done;

    const completed = recorder.ofType('turn_completed', turnId);
    expect(completed).toHaveLength(1);
    expect(completed[0]?.text).toBe('A one-shot answer in pieces.');
    expect(recorder.textOf(turnId)).toBe('A one-shot answer in pieces.');
    expect(completed[0]?.usage).toEqual({ inputTokens: 42, outputTokens: 7, cacheReadTokens: 3, cacheWriteTokens: 2 });
    expect(recorder.invalid).toEqual([]);
    expect(transport.cliSessionId).toMatch(/^[0-9a-f-]{36}$/);

    const body = fake.mainRequests()[0]?.body;
    expect(body).toMatchObject({ model: 'claude-haiku-4-5' });
    expect(JSON.stringify(body)).toContain('--not-a-flag xxxx');
    expect(JSON.stringify(body)).toContain('You work inside a Volundr session.');
  });

  it('resumes the session in a new process and writes a file without a prompt (acceptEdits)', async () => {
    const session = transport.cliSessionId;
    const path = join(box.workspace, 'todo.md');
    fake.setScript([
      { toolUse: { name: 'Write', input: { file_path: path, content: '# Todo\n' } } },
      { text: 'Saved.' },
    ]);
    const { recorder, turnId, done } = startTurn('save a todo file');
    await done;

    expect(readFileSync(path, 'utf8')).toBe('# Todo\n');
    expect(recorder.ofType('permission_request')).toEqual([]);
    expect(recorder.ofType('tool_started', turnId)).toMatchObject([{ name: 'Write' }]);
    expect(recorder.ofType('tool_finished', turnId)).toMatchObject([{ isError: false }]);
    expect(recorder.ofType('file_changed', turnId)).toMatchObject([
      { path: 'todo.md', action: 'created', insertions: 1 },
    ]);
    expect(recorder.ofType('turn_completed', turnId)[0]?.text).toBe('Saved.');
    expect(transport.cliSessionId).toBe(session);
    expect(JSON.stringify(fake.mainRequests().at(-2)?.body)).toContain('A one-shot answer in pieces.');
  });

  it('interrupts a running turn with SIGINT', async () => {
    fake.setScript([{ text: 'Never finished because', hold: true }]);
    const { recorder, turnId, done } = startTurn('slow');
    await recorder.waitFor('text_delta');
    await transport.interrupt();
    await done;
    expect(recorder.ofType('turn_failed', turnId)).toMatchObject([{ error: { code: 'interrupted' } }]);
  });

  it('drops a session id this HOME cannot resume, then starts a new session', async () => {
    const stale = new ClaudeSubprocessTransport({
      workspaceDir: box.workspace,
      model: '',
      env: box.env,
      binary: claudeBinary,
      resumeId: '11111111-2222-3333-4444-555555555555',
    });
    fake.setScript([{ text: 'New session here.' }]);
    const first = new EventRecorder();
    await stale.runTurn({ turnId: 's1', userMessageId: 'm1', text: 'hello?' }, first);
    expect(first.ofType('turn_failed')).toMatchObject([{ error: { code: 'cli_session_lost' } }]);
    expect(stale.cliSessionId).toBeUndefined();
    const second = new EventRecorder();
    await stale.runTurn({ turnId: 's2', userMessageId: 'm2', text: 'hello again' }, second);
    expect(second.ofType('turn_completed')[0]?.text).toBe('New session here.');
    expect(stale.cliSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stale.cliSessionId).not.toBe('11111111-2222-3333-4444-555555555555');
  });

  it('fails a turn cleanly when the binary cannot be started', async () => {
    const broken = new ClaudeSubprocessTransport({
      workspaceDir: box.workspace,
      model: '',
      env: box.env,
      binary: join(box.home, 'no-such-claude'),
    });
    expect(await broken.check()).toMatchObject({ ok: false });
    const recorder = new EventRecorder();
    await broken.runTurn({ turnId: 't-x', userMessageId: 'm-x', text: 'hi' }, recorder);
    expect(recorder.ofType('turn_failed')).toMatchObject([{ error: { code: 'transport_exited' } }]);
    expect(recorder.ofType('turn_failed')[0]?.error.message).toContain('ENOENT');
  });
});
