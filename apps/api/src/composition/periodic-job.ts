import type { AppLogger } from '../logger';

export interface PeriodicJob {
  /** Runs a pass soon (coalesced with one already due or running). */
  kick(): void;
  /** Stops scheduling and waits for a running pass to end. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs`, never two at once; a failing pass is logged and the next one
 * runs on schedule (a job of the API must not take the process down).
 */
export function startPeriodicJob(
  name: string,
  intervalMs: number,
  pass: () => Promise<unknown>,
  logger: AppLogger,
): PeriodicJob {
  const log = logger.child({ job: name });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
    timer.unref();
  };

  function run(): void {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .then(
        () => {},
        (error: unknown) => log.error({ err: error }, 'job pass failed; the next one runs on schedule'),
      )
      .finally(() => {
        running = null;
        const soon = again;
        again = false;
        schedule(soon ? 0 : intervalMs);
      });
  }

  schedule(0);
  return {
    kick() {
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
