/**
 * claude-sdk: one long-lived `claude -p` in stream-json mode per chat session, driven the way
 * the official Agent SDK drives it (../shared/reference/cli-protocols.md §1.2–1.5):
 *
 *   claude -p --input-format stream-json --output-format stream-json --verbose
 *          --include-partial-messages --permission-prompt-tool stdio
 *          [--model m] [--append-system-prompt p] [--resume <session id>]
 *
 * User turns go to stdin as `user` messages; permission prompts arrive as `can_use_tool`
 * control requests and are answered with `control_response`; interrupt and set_model are
 * host control requests. If the process dies mid-turn the turn fails with `transport_exited`
 * and the next turn starts a fresh process with `--resume <session id>`.
 */
import type { ChatEventBody } from '@volundr/contracts/chat';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { ClaudeStreamNormalizer, type PermissionPrompt } from '../normalizers/claude-stream-normalizer';
import { checkCli, cliEnv } from './cli-check';
import { type CliExit, type CliProcess, startCliProcess } from './cli-process';
import { delay, describeExit } from './exit-message';
import { summarizeWithTurn } from './summarize';
import type { Transport, TransportEvents, TransportOptions, TurnRequest } from './transport';

const CONTROL_TIMEOUT_MS = 10_000;
/** How long an interrupt may take before the process is killed instead. */
const INTERRUPT_GRACE_MS = 5_000;

interface RunningTurn {
  turn: TurnRequest;
  events: TransportEvents;
  proc: CliProcess;
  finished: Promise<void>;
  finish: () => void;
}

export class ClaudeSdkTransport implements Transport {
  readonly name = 'claude-sdk' as const;
  readonly capabilities = ['interrupt', 'set_model', 'permission_requests', 'resume'] as const;
  private sessionId: string | undefined;
  private requestedModel: string;
  private resolvedModel: string | undefined;
  private proc: CliProcess | undefined;
  private current: RunningTurn | undefined;
  private readonly permissions = new Map<string, PermissionPrompt>();
  private readonly controls = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  private controlSeq = 0;
  private closed = false;
  private readonly normalizer: ClaudeStreamNormalizer;
  private readonly logger: Logger;

  constructor(private readonly options: TransportOptions) {
    this.logger = (options.logger ?? silentLogger).child({ transport: 'claude-sdk' });
    this.sessionId = options.resumeId;
    this.requestedModel = options.model;
    this.normalizer = new ClaudeStreamNormalizer({ workspaceDir: options.workspaceDir, logger: this.logger });
  }

  get cliSessionId(): string | undefined {
    return this.sessionId;
  }

  get model(): string {
    return this.requestedModel || this.resolvedModel || 'default';
  }

  check() {
    return checkCli(this.options.binary, this.options.workspaceDir, cliEnv(this.options.env));
  }

  async runTurn(turn: TurnRequest, events: TransportEvents): Promise<void> {
    const refuse = (code: string, message: string) =>
      events.emit({ type: 'turn_failed', turnId: turn.turnId, error: { code, message } });
    if (this.closed) return refuse('transport_closed', 'the transport is closed');
    if (this.current) return refuse('busy', 'another turn is running');
    const proc = this.ensureProcess();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    this.current = { turn, events, proc, finished, finish };
    this.normalizer.beginTurn(turn.turnId);
    proc.writeLine(
      JSON.stringify({
        type: 'user',
        message: { role: 'user', content: turn.text },
        parent_tool_use_id: null,
        session_id: this.sessionId ?? '',
      }),
    );
    // If the write failed the process is gone, and its exit ends the turn.
    await finished;
  }

  async interrupt(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.normalizer.markInterrupted();
    this.permissions.clear();
    await this.control(running.proc, { subtype: 'interrupt' }).catch((error: Error) =>
      this.logger.warn({ error: error.message }, 'interrupt control request failed'),
    );
    const ended = await Promise.race([running.finished.then(() => true), delay(INTERRUPT_GRACE_MS).then(() => false)]);
    if (!ended && this.current === running) {
      this.logger.warn({ turnId: running.turn.turnId }, 'claude did not stop in time; killing it');
      await running.proc.stop(1_000);
    }
  }

  async answerPermission(requestId: string, allow: boolean, updatedInput?: Record<string, unknown>): Promise<void> {
    const prompt = this.permissions.get(requestId);
    const proc = this.proc;
    if (!prompt || !proc) {
      this.logger.warn({ requestId }, 'answer to an unknown permission request ignored');
      this.current?.events.emit({
        type: 'error',
        code: 'unknown_permission_request',
        message: `no open permission request ${requestId}`,
      });
      return;
    }
    this.permissions.delete(requestId);
    const response = allow
      ? { behavior: 'allow', updatedInput: updatedInput ?? prompt.input }
      : { behavior: 'deny', message: 'The user denied this action.' };
    proc.writeLine(
      JSON.stringify({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } }),
    );
  }

  /** Applies at once in a live process (a `set_model` control request), else at the next start. */
  async setModel(model: string): Promise<void> {
    this.requestedModel = model;
    const proc = this.proc;
    if (proc && !proc.hasExited) await this.control(proc, { subtype: 'set_model', model });
  }

  summarize(timeoutMs: number): Promise<string | null> {
    if (this.current || this.closed) return Promise.resolve(null);
    return summarizeWithTurn(this, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    const proc = this.proc;
    if (!proc) return;
    // Closing stdin lets an idle CLI flush its session and exit 0; signals only if it lingers.
    proc.endInput();
    const gone = await Promise.race([proc.exited.then(() => true), delay(3_000).then(() => false)]);
    if (!gone) await proc.stop(2_000);
  }

  private ensureProcess(): CliProcess {
    if (this.proc && !this.proc.hasExited) return this.proc;
    const args = [
      '-p',
      '--input-format',
      'stream-json',
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-partial-messages',
      '--permission-prompt-tool',
      'stdio',
    ];
    if (this.requestedModel) args.push('--model', this.requestedModel);
    if (this.options.systemPrompt) args.push('--append-system-prompt', this.options.systemPrompt);
    if (this.sessionId) args.push('--resume', this.sessionId);
    args.push(...(this.options.extraArgs ?? []));
    const proc: CliProcess = startCliProcess({
      binary: this.options.binary,
      args,
      cwd: this.options.workspaceDir,
      env: cliEnv(this.options.env),
      onLine: (line) => this.onLine(proc, line),
      logger: this.logger,
    });
    this.logger.info({ pid: proc.pid, resume: this.sessionId ?? null }, 'claude started');
    this.proc = proc;
    this.normalizer.processStarted();
    void proc.exited.then((exit) => this.onExit(proc, exit));
    return proc;
  }

  private onLine(proc: CliProcess, line: string) {
    if (proc !== this.proc) return;
    const out = this.normalizer.push(line);
    if (out.sessionId && out.sessionId !== this.sessionId) {
      this.sessionId = out.sessionId;
      this.options.onCliSessionId?.(out.sessionId);
    }
    if (out.model) this.resolvedModel = out.model;
    if (out.permission) this.permissions.set(out.permission.requestId, out.permission);
    if (out.unsupportedControl) {
      const { requestId, subtype } = out.unsupportedControl;
      this.logger.debug({ subtype }, 'unsupported control request from claude answered with an error');
      proc.writeLine(
        JSON.stringify({
          type: 'control_response',
          response: { subtype: 'error', request_id: requestId, error: `the broker does not handle ${subtype}` },
        }),
      );
    }
    if (out.controlResponse) {
      const waiter = this.controls.get(out.controlResponse.requestId);
      this.controls.delete(out.controlResponse.requestId);
      if (out.controlResponse.ok) waiter?.resolve();
      else waiter?.reject(new Error(out.controlResponse.error ?? 'claude refused the control request'));
    }
    this.emit(out.events);
    if (out.turnEnded) this.endTurn();
  }

  private onExit(proc: CliProcess, exit: CliExit) {
    if (this.proc === proc) this.proc = undefined;
    this.logger.info({ code: exit.code, signal: exit.signal, spawnError: exit.spawnError }, 'claude exited');
    for (const [id, waiter] of this.controls) {
      this.controls.delete(id);
      waiter.reject(new Error('claude exited'));
    }
    this.permissions.clear();
    if (this.current?.proc === proc) {
      this.emit(this.normalizer.abortTurn(describeExit('claude', exit)));
      this.endTurn();
    }
  }

  private emit(events: ChatEventBody[]) {
    for (const event of events) {
      if (event.type === 'turn_failed' && event.error.code === 'cli_session_lost') {
        this.logger.warn({ id: this.sessionId }, 'the CLI session cannot be resumed; the next turn starts a new one');
        this.sessionId = undefined;
      }
      if (this.current) this.current.events.emit(event);
      else this.logger.debug({ type: event.type }, 'claude output outside a turn dropped');
    }
  }

  private endTurn() {
    const running = this.current;
    this.current = undefined;
    running?.finish();
  }

  private control(proc: CliProcess, request: Record<string, unknown> & { subtype: string }): Promise<void> {
    const requestId = `skuld-${++this.controlSeq}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.controls.delete(requestId);
        reject(new Error(`claude did not answer ${request.subtype} within ${CONTROL_TIMEOUT_MS} ms`));
      }, CONTROL_TIMEOUT_MS);
      this.controls.set(requestId, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (!proc.writeLine(JSON.stringify({ type: 'control_request', request_id: requestId, request }))) {
        this.controls.delete(requestId);
        clearTimeout(timer);
        reject(new Error('claude is not running'));
      }
    });
  }
}
