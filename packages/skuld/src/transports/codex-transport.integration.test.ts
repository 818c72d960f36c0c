/**
 * The real `codex` binary (0.171.0), one `codex exec --json` per message, against the fake
 * Responses API, in the `workspace-write` sandbox. Turns run in order (the second resumes).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeOpenAI, startFakeOpenAI } from '@volundr/testkit/fake-openai/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodexTransport } from './codex-transport';
import { type CliSandbox, codexBinary, codexSandbox } from './test/cli-sandbox';
import { EventRecorder } from './test/event-recorder';

let fake: FakeOpenAI;
let box: CliSandbox;
let transport: CodexTransport;
const threadIds: string[] = [];
let turnNo = 0;

function startTurn(text: string) {
  const recorder = new EventRecorder();
  const turnId = `turn-${++turnNo}`;
  const done = transport.runTurn({ turnId, userMessageId: `msg-${turnNo}`, text }, recorder);
  return { recorder, turnId, done };
}

beforeAll(async () => {
  fake = await startFakeOpenAI({
    usage: { input_tokens: 500, cached_tokens: 120, cache_write_tokens: 30, output_tokens: 40 },
  });
  box = await codexSandbox(fake.url);
  transport = new CodexTransport({
    workspaceDir: box.workspace,
    // gpt-5.5 gets Codex's classic tool set (exec_command + apply_patch); see docs/transports.md.
    model: 'gpt-5.5',
    env: box.env,
    binary: codexBinary,
    systemPrompt: 'Volundr "session" rules:\nbe brief.',
    prices: { 'gpt-5.5': { inputPerMTok: 1, cachedInputPerMTok: 0.5, outputPerMTok: 10 } },
    onCliSessionId: (id) => threadIds.push(id),
  });
});

afterAll(async () => {
  await transport?.close();
  await fake?.close();
  await box?.cleanup();
});

describe('codex transport with the real CLI', () => {
  it('runs a shell command and a patch that write files, then answers, with usage and cost', async () => {
    fake.setScript([
      {
        reasoning: 'Plan: create two files.',
        text: 'Creating the files.',
        exec: { cmd: 'printf "a\\nb\\n" > shell.txt' },
      },
      { applyPatch: '*** Begin Patch\n*** Add File: patched.txt\n+first\n+second\n*** End Patch\n' },
      { text: 'Both files exist now.' },
    ]);
    const { recorder, turnId, done } = startTurn('create the files');
    await done;

    expect(readFileSync(join(box.workspace, 'shell.txt'), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(join(box.workspace, 'patched.txt'), 'utf8')).toBe('first\nsecond\n');
    expect(recorder.ofType('thinking_delta', turnId)).toMatchObject([{ text: 'Plan: create two files.' }]);
    const started = recorder.ofType('tool_started', turnId);
    expect(started.map((e) => e.name)).toEqual(['shell', 'apply_patch']);
    expect(started[0]?.input.command).toContain('shell.txt');
    const finished = recorder.ofType('tool_finished', turnId);
    expect(finished.map((e) => [e.toolUseId, e.isError])).toEqual(started.map((e) => [e.toolUseId, false]));
    expect(recorder.ofType('file_changed', turnId)).toEqual([
      { type: 'file_changed', turnId, path: 'patched.txt', action: 'created' },
    ]);

    const completed = recorder.ofType('turn_completed', turnId);
    expect(completed).toHaveLength(1);
    expect(completed[0]?.text).toBe('Creating the files.\n\nBoth files exist now.');
    expect(recorder.textOf(turnId)).toBe(completed[0]?.text);
    // Three API calls at 500/120/30/40 each.
    expect(completed[0]?.usage).toEqual({
      inputTokens: 1500,
      outputTokens: 120,
      cacheReadTokens: 360,
      cacheWriteTokens: 90,
    });
    expect(completed[0]?.costUsd).toBeCloseTo((1140 * 1 + 360 * 0.5 + 120 * 10) / 1e6, 10);
    expect(recorder.invalid).toEqual([]);
    expect(threadIds).toHaveLength(1);

    const first = JSON.stringify(fake.mainRequests()[0]?.body);
    expect(first).toContain('Volundr \\"session\\" rules:\\nbe brief.');
    // The command's output went back to the model.
    expect(JSON.stringify(fake.mainRequests()[1]?.body)).toContain('function_call_output');
  });

  it('resumes the thread; usage is this turn only although Codex reports thread totals', async () => {
    fake.setScript([
      { text: 'Second turn.', usage: { input_tokens: 900, cached_tokens: 0, cache_write_tokens: 0, output_tokens: 9 } },
    ]);
    const { recorder, turnId, done } = startTurn('--and again');
    await done;
    const completed = recorder.ofType('turn_completed', turnId)[0];
    expect(completed?.text).toBe('Second turn.');
    expect(completed?.usage).toEqual({ inputTokens: 900, outputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(threadIds).toEqual([transport.cliSessionId]);
    const body = JSON.stringify(fake.mainRequests().at(-1)?.body);
    expect(body).toContain('--and again');
    expect(body).toContain('create the files');
  });

  it('keeps writes outside the workspace out of reach (workspace-write sandbox)', async () => {
    // Not under /tmp: workspace-write also lets commands write /tmp and $TMPDIR.
    const outside = `/var/tmp/volundr-sandbox-probe-${process.pid}.txt`;
    fake.setScript([{ exec: { cmd: `echo x > ${outside}` } }, { text: 'Tried.' }]);
    const { recorder, turnId, done } = startTurn('write outside');
    await done;
    const escaped = existsSync(outside);
    rmSync(outside, { force: true });
    expect(escaped).toBe(false);
    // The model is told; Codex 0.171 emits no command_execution item for a sandbox denial.
    expect(JSON.stringify(fake.mainRequests().at(-1)?.body)).toContain('Read-only file system');
    expect(recorder.ofType('turn_completed', turnId)[0]?.text).toBe('Tried.');
  });

  it('drops a thread id this CODEX_HOME cannot resume, then starts a new thread', async () => {
    const stale = new CodexTransport({
      workspaceDir: box.workspace,
      model: 'gpt-5.5',
      env: box.env,
      binary: codexBinary,
      resumeId: '01a241c6-f16e-7572-a51c-76f5d9e91e70',
    });
    fake.setScript([{ text: 'Fresh thread.' }]);
    const first = new EventRecorder();
    await stale.runTurn({ turnId: 's1', userMessageId: 'm1', text: 'hello?' }, first);
    expect(first.ofType('turn_failed')).toMatchObject([{ error: { code: 'cli_session_lost' } }]);
    const second = new EventRecorder();
    await stale.runTurn({ turnId: 's2', userMessageId: 'm2', text: 'hello again' }, second);
    expect(second.ofType('turn_completed')[0]?.text).toBe('Fresh thread.');
    expect(stale.cliSessionId).not.toBe('01a241c6-f16e-7572-a51c-76f5d9e91e70');
  });

  it('reports a failed model call as turn_failed', async () => {
    fake.setScript([{ error: { status: 400, message: 'context too long' } }]);
    const { recorder, turnId, done } = startTurn('fail please');
    await done;
    const failed = recorder.ofType('turn_failed', turnId);
    expect(failed).toMatchObject([{ error: { code: 'cli_error' } }]);
    expect(failed[0]?.error.message).toContain('context too long');
  });
});
