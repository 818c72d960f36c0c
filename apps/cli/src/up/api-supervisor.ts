import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const ZReadyMessage = z.object({
  event: z.literal('ready'),
  port: z.number().int().positive(),
  issuer: z.string().nullable().optional(),
  adminPassword: z.string().nullable().optional(),
});
export type ApiReady = z.infer<typeof ZReadyMessage>;

export interface ApiSupervisorOptions {
  entry: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Called each time an API process is ready (first start and every restart). */
  onReady(ready: ApiReady & { pid: number }): void;
  /** Called when the API process exits without being asked to. */
  onExit(info: { code: number | null; signal: NodeJS.Signals | null; restartInMs: number }): void;
}

/**
 * Runs the API server as a child process and restarts it when it dies, so chat and terminal
 * connections (which go through the front door straight to session processes) never depend on it.
 */
export class ApiSupervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private backoffMs = 500;
  private readonly log: WriteStream;
  private current: (ApiReady & { pid: number }) | null = null;

  constructor(private readonly options: ApiSupervisorOptions) {
    mkdirSync(options.logDir, { recursive: true });
    this.log = createWriteStream(join(options.logDir, 'api.log'), { flags: 'a' });
  }

  get ready(): (ApiReady & { pid: number }) | null {
    return this.current;
  }

  /** Starts the API and resolves when it reports ready; rejects if it exits first. */
  start(): Promise<ApiReady & { pid: number }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const tail: string[] = [];
      const child = spawn(process.execPath, [this.options.entry, ...this.options.args], {
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      this.child = child;
      const keep = (chunk: Buffer) => {
        this.log.write(chunk);
        tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        tail.splice(0, Math.max(0, tail.length - 20));
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.on('message', (message) => {
        const parsed = ZReadyMessage.safeParse(message);
        if (!parsed.success || child.pid === undefined) return;
        this.current = { ...parsed.data, pid: child.pid };
        this.backoffMs = 500;
        this.options.onReady(this.current);
        if (!settled) {
          settled = true;
          resolve(this.current);
        }
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) {
          this.child = null;
          this.current = null;
        }
        if (!settled) {
          settled = true;
          reject(new ApiStartError(code, signal, tail));
          return;
        }
        if (this.stopping) return;
        const restartInMs = this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
        this.options.onExit({ code, signal, restartInMs });
        setTimeout(() => {
          if (!this.stopping) this.start().catch(() => {});
        }, restartInMs).unref();
      });
    });
  }

  /** Asks the API to shut down gracefully; kills it if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

export class ApiStartError extends Error {
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly tail: string[],
  ) {
    super(`the API server exited during start-up (${signal ?? `exit code ${code}`})`);
  }
}
