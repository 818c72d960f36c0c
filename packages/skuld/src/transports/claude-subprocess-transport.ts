/**
 * claude-subprocess: one `claude -p` process per user message, the session continued with
 * `--resume <session id>` (../shared/reference/cli-protocols.md §1.6):
 *
 *   claude -p --output-format stream-json --verbose --include-partial-messages
 *          --permission-mode acceptEdits --allowedTools <tools…>
 *          [--model m] [--append-system-prompt p] [--resume <session id>]   (prompt on stdin)
 *
 * There is no control channel: no permission prompts (the allowed-tools list decides, since
 * `bypassPermissions` is refused under root) and interrupt is SIGINT to the process group.
 * The prompt goes to stdin, not argv: argv caps one argument at 128 KiB and would take a
 * message starting with `-` for an option.
 */
import type { ChatEventBody } from '@volundr/contracts/chat';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { ClaudeStreamNormalizer } from '../normalizers/claude-stream-normalizer';
import { checkCli, cliEnv } from './cli-check';
import { type CliProcess, startCliProcess } from './cli-process';
import { delay, describeExit } from './exit-message';
import { summarizeWithTurn } from './summarize';
import type { Transport, TransportEvents, TransportOptions, TurnRequest } from './transport';

/** Tools a coding session runs without asking (the workspace is the sandbox). */
export const defaultAllowedTools = [
  'Bash',
  'Edit',
  'Write',
  'MultiEdit',
  'NotebookEdit',
  'Read',
  'Glob',
  'Grep',
  'WebFetch',
  'WebSearch',
  'TodoWrite',
  'Task',
];

/** How long the CLI may keep running after its turn ended before it is stopped. */
const LINGER_MS = 5_000;

interface RunningTurn {
  turn: TurnRequest;
  events: TransportEvents;
  proc: CliProcess;
}

export class ClaudeSubprocessTransport implements Transport {
  readonly name = 'claude-subprocess' as const;
  readonly capabilities = ['interrupt', 'set_model', 'resume'] as const;
  private sessionId: string | undefined;
  private requestedModel: string;
  private resolvedModel: string | undefined;
  private current: RunningTurn | undefined;
  private closed = false;
  private readonly normalizer: ClaudeStreamNormalizer;
  private readonly logger: Logger;

  constructor(private readonly options: TransportOptions) {
    this.logger = (options.logger ?? silentLogger).child({ transport: 'claude-subprocess' });
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

    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'];
    args.push(
      '--permission-mode',
      'acceptEdits',
      '--allowedTools',
      ...(this.options.allowedTools ?? defaultAllowedTools),
    );
    if (this.requestedModel) args.push('--model', this.requestedModel);
    if (this.options.systemPrompt) args.push('--append-system-prompt', this.options.systemPrompt);
    if (this.sessionId) args.push('--resume', this.sessionId);
    args.push(...(this.options.extraArgs ?? []));

    this.normalizer.processStarted();
    this.normalizer.beginTurn(turn.turnId);
    const proc: CliProcess = startCliProcess({
      binary: this.options.binary,
      args,
      cwd: this.options.workspaceDir,
      env: cliEnv(this.options.env),
      onLine: (line) => this.onLine(line),
      logger: this.logger,
    });
    this.current = { turn, events, proc };
    this.logger.info({ pid: proc.pid, resume: this.sessionId ?? null }, 'claude started');
    proc.endInput(turn.text);
    const exit = await proc.exited;
    this.logger.info({ code: exit.code, signal: exit.signal }, 'claude exited');
    // A process that dies before its `result` line ends the turn here.
    this.emit(this.normalizer.abortTurn(describeExit('claude', exit)));
    this.current = undefined;
  }

  async interrupt(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.normalizer.markInterrupted();
    running.proc.signal('SIGINT');
    const gone = await Promise.race([running.proc.exited.then(() => true), delay(3_000).then(() => false)]);
    if (!gone) await running.proc.stop(2_000);
  }

  async answerPermission(requestId: string): Promise<void> {
    // Never asked: this transport announces no `permission_requests` capability.
    this.logger.warn({ requestId }, 'permission answer ignored: claude-subprocess has no permission prompts');
  }

  async setModel(model: string): Promise<void> {
    this.requestedModel = model;
  }

  summarize(timeoutMs: number): Promise<string | null> {
    if (this.current || this.closed || !this.sessionId) return Promise.resolve(null);
    return summarizeWithTurn(this, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.proc.stop(2_000);
  }

  private onLine(line: string) {
    const out = this.normalizer.push(line);
    if (out.sessionId && out.sessionId !== this.sessionId) {
      this.sessionId = out.sessionId;
      this.options.onCliSessionId?.(out.sessionId);
    }
    if (out.model) this.resolvedModel = out.model;
    this.emit(out.events);
    if (out.turnEnded) {
      // The CLI exits right after its last line; one that lingers must not hold the queue.
      const proc = this.current?.proc;
      void delay(LINGER_MS).then(() => {
        if (proc && !proc.hasExited) {
          this.logger.warn({ pid: proc.pid }, 'claude lingered after the turn ended; stopping it');
          void proc.stop(2_000);
        }
      });
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
}
