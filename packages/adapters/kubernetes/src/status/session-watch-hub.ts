/**
 * One set of informers (list + watch, restarted with back-off) for every session of a pod
 * manager: a change to any watched object recomputes the status of the session it belongs to
 * and tells that session's subscribers when the status changed. Nothing polls per session, and
 * `status()` reads the informers' caches once they have listed.
 */
import type { Informer, KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import type { PodHandle, PodStatus, Unsubscribe } from '@volundr/core/sessions/ports/pod-manager';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { statusSignature } from './pod-status';

export interface WatchSource {
  name: string;
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
}

type Listener = (handle: PodHandle, status: PodStatus) => void;

interface Subscription {
  handle: PodHandle;
  listener: Listener;
}

export const objectKey = (namespace: string, name: string) => `${namespace}/${name}`;

export class SessionWatchHub {
  private readonly subscriptions = new Map<string, Set<Subscription>>();
  private readonly lastSent = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly listed = new Set<string>();
  private starting: Promise<void> | null = null;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly sources: readonly WatchSource[],
    /** The session status for an object key (`namespace/name` of its pod / release). */
    private readonly compute: (key: string) => Promise<PodStatus>,
    private readonly log: Logger,
  ) {
    for (const source of sources) {
      const changed = (object: KubernetesObject) => {
        const { namespace, name } = object.metadata ?? {};
        if (namespace && name) this.changed(objectKey(namespace, name));
      };
      source.informer.on('add', changed);
      source.informer.on('update', changed);
      source.informer.on('delete', changed);
      source.informer.on('error', (error: unknown) => this.restart(source, error, 1000));
    }
  }

  /** Starts the informers once; resolves when each has listed (or failed to, then it retries). */
  start(): Promise<void> {
    this.starting ??= Promise.all(this.sources.map((s) => this.startSource(s))).then(() => undefined);
    return this.starting;
  }

  private async startSource(source: WatchSource): Promise<void> {
    let failed = false;
    const onError = () => {
      failed = true;
    };
    source.informer.on('error', onError);
    try {
      await source.informer.start();
    } catch (error) {
      failed = true;
      this.restart(source, error, 1000);
    } finally {
      source.informer.off('error', onError);
    }
    if (!failed) this.listed.add(source.name);
  }

  private restart(source: WatchSource, error: unknown, delayMs: number) {
    if (this.stopped) return;
    this.listed.delete(source.name);
    this.log.warn({ informer: source.name, err: error, retryInMs: delayMs }, 'session watch failed; restarting');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      source.informer
        .start()
        .then(() => {
          this.listed.add(source.name);
          // Whatever happened while the watch was down: re-check every watched session.
          for (const key of this.subscriptions.keys()) this.changed(key);
        })
        .catch((err: unknown) => this.restart(source, err, Math.min(delayMs * 2, 30_000)));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** True when every informer has a complete cache (reads may use it). */
  isSynced(name: string): boolean {
    return this.listed.has(name);
  }

  subscribe(entries: readonly { key: string; handle: PodHandle }[], listener: Listener): Unsubscribe {
    const mine: [string, Subscription][] = entries.map(({ key, handle }) => [key, { handle, listener }]);
    for (const [key, sub] of mine) {
      let set = this.subscriptions.get(key);
      if (!set) {
        set = new Set();
        this.subscriptions.set(key, set);
      }
      set.add(sub);
    }
    void this.start();
    return () => {
      for (const [key, sub] of mine) {
        const set = this.subscriptions.get(key);
        set?.delete(sub);
        if (set?.size === 0) {
          this.subscriptions.delete(key);
          this.lastSent.delete(key);
        }
      }
    };
  }

  /** Recomputes a watched session's status (coalescing bursts of events for the same key). */
  private changed(key: string) {
    if (!this.subscriptions.has(key) || this.pending.has(key)) return;
    this.pending.add(key);
    queueMicrotask(() => {
      this.pending.delete(key);
      this.compute(key)
        .then((status) => this.deliver(key, status))
        .catch((error: unknown) => this.log.warn({ key, err: error }, 'computing a session status failed'));
    });
  }

  private deliver(key: string, status: PodStatus) {
    const subs = this.subscriptions.get(key);
    if (!subs) return;
    const signature = statusSignature(status);
    if (this.lastSent.get(key) === signature) return;
    this.lastSent.set(key, signature);
    for (const { handle, listener } of subs) {
      try {
        listener(handle, status);
      } catch (error) {
        this.log.warn({ key, err: error }, 'a session watch listener failed');
      }
    }
  }

  get watchedCount(): number {
    return this.subscriptions.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.sources.map((s) => s.informer.stop().catch(() => undefined)));
  }
}
