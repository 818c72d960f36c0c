/**
 * Where the emulated controllers (garbage collector, namespace controller, kubelet, Flux) run
 * their work: after the current request, like a real controller reacting to a watch, with a timer
 * only when a delay was asked for. `idle()` lets a test wait until nothing is left to do.
 */
export class WorkQueue {
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private waiters: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Queues `task`; the returned function cancels it if it has not run yet. */
  schedule(task: () => void, delayMs = 0): () => void {
    if (this.stopped) return () => undefined;
    this.pending++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.pending--;
      if (this.pending === 0) this.release();
      return true;
    };
    const run = () => {
      if (settled) return;
      try {
        if (!this.stopped) task();
      } catch (err) {
        this.onError(err);
      } finally {
        settle();
      }
    };
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        run();
      }, delayMs);
      this.timers.add(timer);
      return () => {
        if (!settle()) return;
        clearTimeout(timer);
        this.timers.delete(timer);
      };
    }
    const immediate = setImmediate(() => {
      this.immediates.delete(immediate);
      run();
    });
    this.immediates.add(immediate);
    return () => {
      if (!settle()) return;
      clearImmediate(immediate);
      this.immediates.delete(immediate);
    };
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves once no work is queued or running (work scheduled by work included). */
  idle(timeoutMs = 10_000): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(
          new Error(`kube emulator: controllers still busy after ${timeoutMs} ms (${this.pending} tasks pending)`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const i of this.immediates) clearImmediate(i);
    this.timers.clear();
    this.immediates.clear();
    this.pending = 0;
    this.release();
  }

  private release() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
