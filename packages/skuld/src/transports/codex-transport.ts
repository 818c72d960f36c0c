/**
 * codex: one `codex exec --json` process per user message, the thread continued with
 * `resume <thread id>` (../shared/reference/cli-protocols.md §2):
 *
 *   codex exec --json --skip-git-repo-check -s workspace-write -C <workspace> [-m model]
 *        [-c developer_instructions=…] [extra args] [resume <thread id>] -      (prompt on stdin)
 *
 * The prompt is written to stdin and stdin closed at once: Codex reads stdin to EOF whenever
 * it is not a TTY, so an open pipe would hang it, and `-` avoids argv's 128 KiB limit and
 * prompts that look like options. `-s workspace-write` works in this container (Codex's
 * Linux sandbox confines writes to the workspace, see docs/transports.md).
 */
import type { ChatEventBody } from '@volundr/contracts/chat';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { CodexExecNormalizer } from '../normalizers/codex-exec-normalizer';
import { checkCli, cliEnv } from './cli-check';
import { type CliProcess, startCliProcess } from './cli-process';
import { delay } from './exit-message';
import { summarizeWithTurn } from './summarize';
import type { Transport, TransportEvents, TransportOptions, TurnRequest } from './transport';

/** How long the CLI may keep running after its turn ended before it is stopped. */
const LINGER_MS = 5_000;

interface RunningTurn {
  turn: TurnRequest;
  events: TransportEvents;
  proc: CliProcess;
}

export class CodexTransport implements Transport {
  readonly name = 'codex' as const;
  readonly capabilities = ['interrupt', 'set_model', 'resume'] as const;
  private threadId: string | undefined;
  private requestedModel: string;
  private current: RunningTurn | undefined;
  private closed = false;
  private readonly normalizer: CodexExecNormalizer;
  private readonly logger: Logger;

  constructor(private readonly options: TransportOptions) {
    this.logger = (options.logger ?? silentLogger).child({ transport: 'codex' });
    this.threadId = options.resumeId;
    this.requestedModel = options.model;
    this.normalizer = new CodexExecNormalizer({
      workspaceDir: options.workspaceDir,
      logger: this.logger,
      price: options.prices?.[options.model],
    });
  }

  get cliSessionId(): string | undefined {
    return this.threadId;
  }

  get model(): string {
    return this.requestedModel || 'default';
  }

  check() {
    return checkCli(this.options.binary, this.options.workspaceDir, cliEnv(this.options.env));
  }

  async runTurn(turn: TurnRequest, events: TransportEvents): Promise<void> {
    const refuse = (code: string, message: string) =>
      events.emit({ type: 'turn_failed', turnId: turn.turnId, error: { code, message } });
    if (this.closed) return refuse('transport_closed', 'the transport is closed');
    if (this.current) return refuse('busy', 'another turn is running');

    const args = ['exec', '--json', '--skip-git-repo-check'];
    args.push('-s', this.options.sandbox ?? 'workspace-write', '-C', this.options.workspaceDir);
    if (this.requestedModel) args.push('-m', this.requestedModel);
    // A TOML string: JSON string escapes are valid TOML basic-string escapes.
    if (this.options.systemPrompt)
      args.push('-c', `developer_instructions=${JSON.stringify(this.options.systemPrompt)}`);
    args.push(...(this.options.extraArgs ?? []));
    if (this.threadId) args.push('resume', this.threadId);
    args.push('-');

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
    this.logger.info({ pid: proc.pid, resume: this.threadId ?? null }, 'codex started');
    proc.endInput(turn.text);
    const exit = await proc.exited;
    this.logger.info({ code: exit.code, signal: exit.signal }, 'codex exited');
    this.emit(
      exit.spawnError
        ? this.normalizer.processExited({
            code: null,
            signal: null,
            stderrTail: `could not start codex: ${exit.spawnError}`,
          })
        : this.normalizer.processExited(exit),
    );
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
    this.logger.warn({ requestId }, 'permission answer ignored: codex exec has no permission prompts');
  }

  async setModel(model: string): Promise<void> {
    this.requestedModel = model;
    this.normalizer.setPrice(this.options.prices?.[model]);
  }

  summarize(timeoutMs: number): Promise<string | null> {
    if (this.current || this.closed || !this.threadId) return Promise.resolve(null);
    return summarizeWithTurn(this, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.proc.stop(2_000);
  }

  private onLine(line: string) {
    const out = this.normalizer.push(line);
    if (out.threadId && out.threadId !== this.threadId) {
      this.threadId = out.threadId;
      this.options.onCliSessionId?.(out.threadId);
    }
    this.emit(out.events);
    if (out.turnEnded) {
      // The CLI exits right after its last line; one that lingers must not hold the queue.
      const proc = this.current?.proc;
      void delay(LINGER_MS).then(() => {
        if (proc && !proc.hasExited) {
          this.logger.warn({ pid: proc.pid }, 'codex lingered after the turn ended; stopping it');
          void proc.stop(2_000);
        }
      });
    }
  }

  private emit(events: ChatEventBody[]) {
    for (const event of events) {
      if (event.type === 'turn_failed' && event.error.code === 'cli_session_lost') {
        this.logger.warn({ id: this.threadId }, 'the CLI session cannot be resumed; the next turn starts a new one');
        this.threadId = undefined;
      }
      if (this.current) this.current.events.emit(event);
      else this.logger.debug({ type: event.type }, 'codex output outside a turn dropped');
    }
  }
}
