import type { SessionEventBody } from '@volundr/contracts/session-events';
import type { SessionState } from '@volundr/contracts/sessions';
import { isDomainError } from '../errors';
import { noopTracer, type Tracer } from '../events/ports/tracer';
import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import { buildSessionSpec, runCleanups } from './build-session-spec';
import { expiryReason } from './idle-policy';
import { loadSessionContext } from './load-session-context';
import type { Integrations } from './ports/integrations';
import {
  isPodReady,
  type PodHandle,
  type PodManager,
  type PodStatus,
  type StartAttempt,
  type Unsubscribe,
} from './ports/pod-manager';
import type { ChangeEvents, Sessions } from './ports/sessions';
import { stateChanged } from './record-event';
import { attemptOf, currentHandle } from './runtime-handle';
import type { Contributor } from './session-context';
import { type SessionPatch, type SessionRecord, WORK_STATES } from './session-record';
import { transition } from './state-machine';

export interface ReconcilerDeps {
  sessions: Sessions;
  podManager: PodManager;
  integrations: Integrations;
  contributors: readonly Contributor[];
  clock: Clock;
  logger: Logger;
  /** Spans for provisioning: one per attempt, with a child per contributor and one for the PodManager. */
  tracer?: Tracer;
}

export interface ReconcilerOptions {
  /** This process's lease owner id (unique per API replica). */
  owner: string;
  /** How long a claimed session stays with this replica without renewal. Default 30 s. */
  leaseMs?: number;
  /** Sessions claimed per pass. Default 25. */
  batchSize?: number;
  /** Sessions worked on at once within a pass. Default 8. */
  concurrency?: number;
  /** Time between passes when nothing wakes the loop (also the status-polling fallback). Default 2 s. */
  pollIntervalMs?: number;
  /** Provisioning longer than this fails the session. Default 300 s. */
  provisioningTimeoutMs?: number;
  /** Stop running sessions after this long (null: never). Default null. */
  maxLifetimeMs?: number | null;
}

export interface PassReport {
  /** Running sessions asked to stop for idleness or lifetime. */
  expired: number;
  claimed: number;
  transitions: number;
  /** Sessions whose processing threw unexpectedly (retried on a later pass). */
  errors: number;
}

export interface Reconciler {
  /** One pass: stop expired sessions, claim work, drive each claimed session as far as it can go. */
  runOnce(): Promise<PassReport>;
  /** Runs passes until `stop`: after each, waits for `kick` or the poll interval. */
  start(): void;
  stop(): Promise<void>;
  /** Asks for a pass as soon as possible (new work, a pushed status change). */
  kick(): void;
}

type Outcome = 'keep' | 'release';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sentence = (text: string) => text.replace(/[.\s]+$/, '');

/**
 * Drives sessions from database state: starting → provisioning → running, stopping → stopped.
 * Work is claimed with leases, so several replicas share it and a crashed replica's sessions
 * are picked up once its leases expire. Every step is safe to repeat: the attempt id is
 * recorded before the PodManager is asked to start, and a resumed pass looks the attempt up
 * instead of starting it again.
 *
 * Every event is written with the row change it belongs to (one transaction): the contributors'
 * `contributor_applied` with the spec they produced, `pod_submitted` with the pod's handle,
 * `container_ready` with the ready list, `cleanup_failed` with the move to `stopped`. A write
 * that loses a race writes none of its events either; the pass that wins writes its own.
 */
export function createReconciler(deps: ReconcilerDeps, options: ReconcilerOptions): Reconciler {
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 25;
  const concurrency = options.concurrency ?? 8;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const timeoutMs = options.provisioningTimeoutMs ?? 300_000;
  const maxLifetimeMs = options.maxLifetimeMs ?? null;
  const { sessions, podManager: pods } = deps;
  const tracer = deps.tracer ?? noopTracer;
  const log = deps.logger.child({ component: 'reconciler', leaseOwner: options.owner });

  const watches = new Map<string, { attemptId: string; unsubscribe: Unsubscribe }>();
  const held = new Set<string>();
  /** Sessions this replica last wrote out of the work states: that write freed the lease. */
  const freedByWrite = new Set<string>();
  let report: PassReport = { expired: 0, claimed: 0, transitions: 0, errors: 0 };
  let chain: Promise<unknown> = Promise.resolve();

  const now = () => deps.clock.now();

  /**
   * Writes the patch and its events at the version read; null (and nothing written) when
   * someone else changed or deleted the row.
   */
  async function save(
    session: SessionRecord,
    patch: SessionPatch,
    events: ChangeEvents = [],
  ): Promise<SessionRecord | null> {
    try {
      const updated = await sessions.update(session.id, session.version, patch, events);
      if (WORK_STATES.includes(updated.state)) freedByWrite.delete(updated.id);
      else freedByWrite.add(updated.id);
      return updated;
    } catch (error) {
      if (isDomainError(error) && (error.code === 'CONCURRENT_MODIFICATION' || error.code === 'SESSION_NOT_FOUND'))
        return null;
      throw error;
    }
  }

  async function move(
    session: SessionRecord,
    to: SessionState,
    extra: Omit<SessionPatch, 'updatedAt'> = {},
    reason: string | null = null,
    before: ChangeEvents = [],
  ): Promise<SessionRecord | null> {
    const patch = { ...transition(session, to, { now: now(), reason }), ...extra };
    const updated = await save(session, patch, [...before, stateChanged(session.state, patch)]);
    if (updated) report.transitions++;
    return updated;
  }

  function unwatch(sessionId: string) {
    watches.get(sessionId)?.unsubscribe();
    watches.delete(sessionId);
  }

  function ensureWatch(sessionId: string, handle: PodHandle) {
    const current = watches.get(sessionId);
    if (current?.attemptId === handle.attemptId) return;
    unwatch(sessionId);
    try {
      // A pushed change only wakes the loop: the pass re-reads the status under its lease.
      const unsubscribe = pods.watch([handle], () => kick());
      watches.set(sessionId, { attemptId: handle.attemptId, unsubscribe });
    } catch (error) {
      log.warn({ sessionId, err: error }, 'watch failed; falling back to polling');
    }
  }

  // ---- starting ---------------------------------------------------------------------------

  async function handleStarting(s: SessionRecord): Promise<Outcome> {
    const rt = s.runtime;
    const recorded = attemptOf(s);
    if (recorded) {
      // A previous pass recorded this attempt and may have submitted it before it stopped.
      const handle = rt.handle ?? (await pods.find(recorded));
      if (handle) {
        const adopted: SessionEventBody[] = rt.handle
          ? []
          : [{ type: 'pod_submitted', data: { attemptId: recorded.id, backend: handle.backend, adopted: true } }];
        return afterSubmit(s, recorded, handle, adopted);
      }
      // Recorded but never reached the runtime: prepare a new attempt rather than reuse its id.
    }
    // Its own trace (not the request's that asked for the start): the work outlives any request.
    return tracer.span(
      'session.provision',
      { 'volundr.session.id': s.id, 'volundr.tenant.id': s.tenantId, 'volundr.attempt': rt.attempt },
      () => prepareAndSubmit(s, recorded),
      { root: true },
    );
  }

  /** Runs the pipeline, records the attempt, submits it to the PodManager. */
  async function prepareAndSubmit(s: SessionRecord, recorded: StartAttempt | null): Promise<Outcome> {
    const rt = s.runtime;
    let spec: SessionRecord['spec'];
    // The pipeline's events commit with what it produced: the spec, or the failure.
    const applied: SessionEventBody[] = [];
    try {
      const context = await loadSessionContext(deps.integrations, s);
      spec = await buildSessionSpec(deps.contributors, context, {
        onApplied: (contributor, index, total) => {
          applied.push({ type: 'contributor_applied', data: { contributor, index, total } });
        },
        around: (contributor, index, call) =>
          tracer.span(
            `contributor ${contributor}`,
            { 'volundr.contributor': contributor, 'volundr.contributor.index': index },
            call,
          ),
      });
    } catch (error) {
      const message = sentence(messageOf(error));
      const contributor = isDomainError(error) ? error.details?.contributor : undefined;
      if (typeof contributor === 'string')
        applied.push({ type: 'contributor_failed', data: { contributor, message: message.slice(0, 4000) } });
      await move(
        s,
        'failed',
        {},
        `Could not prepare the session: ${message}. Fix this, then start the session again.`,
        applied,
      );
      return 'release';
    }

    const number = recorded ? rt.attempt + 1 : rt.attempt;
    const attempt: StartAttempt = { id: `${s.id}-${number}`, sessionId: s.id, number };
    const saved = await save(
      s,
      {
        spec,
        runtime: {
          ...rt,
          attempt: number,
          attemptId: attempt.id,
          submittedAt: now().toISOString(),
          handle: null,
          readyContainers: [],
        },
        updatedAt: now(),
      },
      applied,
    );
    if (!saved) return 'release'; // stopped or deleted meanwhile: the next pass sees the new state

    let handle: PodHandle;
    try {
      const submitted = spec;
      handle = await tracer.span('pod_manager.start', { 'volundr.attempt.id': attempt.id }, () =>
        pods.start(submitted, attempt),
      );
    } catch (error) {
      await move(
        saved,
        'failed',
        {},
        `The runtime could not start the session: ${sentence(messageOf(error))}. Start it again; if this keeps happening, ask an administrator to check the runtime.`,
      );
      return 'release';
    }
    return afterSubmit(saved, attempt, handle, [
      { type: 'pod_submitted', data: { attemptId: attempt.id, backend: handle.backend, adopted: false } },
    ]);
  }

  /**
   * Records the handle of a submitted attempt (with its `pod_submitted` event), whatever
   * happened to the session meanwhile.
   */
  async function afterSubmit(
    s: SessionRecord,
    attempt: StartAttempt,
    handle: PodHandle,
    submitted: ChangeEvents,
  ): Promise<Outcome> {
    let current: SessionRecord | null = s;
    for (let tries = 0; tries < 5 && current; tries++) {
      if (current.runtime.attemptId !== attempt.id) {
        // Restarted with a newer attempt meanwhile: this pod belongs to nobody.
        await pods
          .delete(handle, { removeWorkspace: false })
          .catch((err) => log.warn({ err }, 'stale pod not removed'));
        return 'release';
      }
      const runtime = { ...current.runtime, handle };
      if (current.state === 'starting') {
        const endpoints = handle.endpoints ?? current.spec?.gateway?.endpoints ?? null;
        const updated = await move(current, 'provisioning', { runtime, endpoints }, null, submitted);
        if (updated) return handleProvisioning(updated);
      } else if (!current.runtime.handle) {
        // Stop (or archive) won the race: keep the handle so stopping finds the pod.
        const updated = await save(current, { runtime, updatedAt: now() }, submitted);
        if (updated) return updated.state === 'stopping' ? handleStopping(updated) : 'release';
      } else {
        return current.state === 'provisioning' ? handleProvisioning(current) : 'release';
      }
      current = await sessions.byId(s.id);
    }
    if (!current) {
      // Deleted while it was being started.
      await pods.delete(handle, { removeWorkspace: false }).catch((err) => log.warn({ err }, 'orphan pod not removed'));
    }
    return 'release';
  }

  // ---- provisioning -----------------------------------------------------------------------

  async function handleProvisioning(s: SessionRecord): Promise<Outcome> {
    const handle = await currentHandle(pods, s);
    if (!handle) {
      unwatch(s.id);
      await move(
        s,
        'failed',
        {},
        'Volundr lost track of the runtime of this start (no pod was recorded). Start the session again.',
      );
      return 'release';
    }
    let status: PodStatus | null = null;
    try {
      status = await pods.status(handle);
    } catch (error) {
      log.warn({ sessionId: s.id, err: error }, 'status check failed; retrying on the next pass');
    }
    return applyStatus(s, handle, status);
  }

  async function applyStatus(s: SessionRecord, handle: PodHandle, status: PodStatus | null): Promise<Outcome> {
    const known = new Set(s.runtime.readyContainers);
    const total = status?.containers.length ?? 0;
    const newlyReady = (status?.containers ?? []).filter((c) => c.ready && !known.has(c.name)).map((c) => c.name);
    const readyEvents: SessionEventBody[] = newlyReady.map((container, i) => ({
      type: 'container_ready',
      data: { container, ready: known.size + i + 1, total },
    }));
    const runtime = { ...s.runtime, handle, readyContainers: [...known, ...newlyReady] };
    const notReady = (status?.containers ?? [])
      .filter((c) => !c.ready)
      .map((c) => (c.message ? `${c.name} (${c.message})` : c.name));

    if (status && (status.phase === 'failed' || status.phase === 'missing' || status.phase === 'stopped')) {
      unwatch(s.id);
      const detail = status.message ?? (notReady.length ? `not ready: ${notReady.join(', ')}` : status.phase);
      const reason =
        status.phase === 'failed'
          ? `The session's runtime failed while provisioning: ${sentence(detail)}. Check the session's logs, then start it again.`
          : `The session's runtime disappeared while provisioning (${sentence(detail)}). Start the session again.`;
      await move(s, 'failed', { runtime }, reason, readyEvents);
      await pods.stop(handle).catch((err) => log.warn({ sessionId: s.id, err }, 'could not stop a failed pod'));
      return 'release';
    }
    if (status && isPodReady(status)) {
      unwatch(s.id);
      await move(s, 'running', { runtime, endpoints: status.endpoints ?? s.endpoints }, null, readyEvents);
      return 'release';
    }
    const since = s.provisioningStartedAt ?? s.updatedAt;
    if (now().getTime() - since.getTime() >= timeoutMs) {
      unwatch(s.id);
      const waiting = notReady.length
        ? `not ready: ${notReady.join(', ')}`
        : 'the runtime reported no ready containers';
      await move(
        s,
        'failed',
        { runtime },
        `Provisioning timed out after ${Math.round(timeoutMs / 1000)} s (${waiting}). Check the session's logs, then start it again.`,
        readyEvents,
      );
      await pods.stop(handle).catch((err) => log.warn({ sessionId: s.id, err }, 'could not stop a timed-out pod'));
      return 'release';
    }
    if (newlyReady.length > 0 || !s.runtime.handle) {
      const updated = await save(s, { runtime, updatedAt: now() }, readyEvents);
      if (!updated) return 'release';
    }
    ensureWatch(s.id, handle);
    return 'keep';
  }

  // ---- stopping ---------------------------------------------------------------------------

  async function handleStopping(s: SessionRecord): Promise<Outcome> {
    unwatch(s.id);
    const handle = await currentHandle(pods, s);
    if (handle) {
      try {
        await pods.stop(handle);
      } catch (error) {
        await move(
          s,
          'failed',
          { runtime: { ...s.runtime, handle } },
          `Could not stop the session's runtime: ${sentence(messageOf(error))}. Delete the session, or start and stop it again, once the runtime is reachable.`,
        );
        return 'release';
      }
    }
    const failures = await runCleanups(deps.contributors, {
      session: s,
      launch: s.launch,
      reason: 'stop',
      removeWorkspace: false,
    });
    const cleanupFailed: SessionEventBody[] = [];
    for (const f of failures) {
      log.warn({ sessionId: s.id, contributor: f.contributor, error: f.message }, 'cleanup failed on stop');
      cleanupFailed.push({
        type: 'cleanup_failed',
        data: { contributor: f.contributor, message: f.message.slice(0, 4000) },
      });
    }
    const archiveAfter = s.runtime.afterStop === 'archive';
    const stopped = await move(
      s,
      'stopped',
      { runtime: { ...s.runtime, handle, readyContainers: [], afterStop: null } },
      archiveAfter ? null : s.stateReason,
      cleanupFailed,
    );
    if (stopped && archiveAfter) await move(stopped, 'archived');
    return 'release';
  }

  // ---- passes -----------------------------------------------------------------------------

  async function process(session: SessionRecord): Promise<Outcome> {
    switch (session.state) {
      case 'starting':
        return handleStarting(session);
      case 'provisioning':
        return handleProvisioning(session);
      case 'stopping':
        return handleStopping(session);
      default:
        return 'release';
    }
  }

  async function processWithLease(session: SessionRecord) {
    const renew = setInterval(
      () => {
        sessions
          .renewLease(session.id, options.owner, leaseMs)
          .then((kept) => {
            if (!kept) log.warn({ sessionId: session.id }, 'lease lost while working; version checks keep writes safe');
          })
          .catch((err) => log.warn({ sessionId: session.id, err }, 'lease renewal failed'));
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    let outcome: Outcome = 'release';
    try {
      outcome = await process(session);
    } catch (error) {
      report.errors++;
      log.error(
        { sessionId: session.id, state: session.state, err: error },
        'reconciling a session failed; retrying later',
      );
    } finally {
      clearInterval(renew);
    }
    if (outcome === 'keep') {
      held.add(session.id);
      return;
    }
    held.delete(session.id);
    if (freedByWrite.delete(session.id)) return; // the last write left the work states, lease and all
    await sessions
      .releaseLease(session.id, options.owner)
      .catch((err) => log.warn({ sessionId: session.id, err }, 'lease release failed'));
  }

  async function stopExpired() {
    const at = now();
    const candidates = await sessions.findExpired({ now: at, maxLifetimeMs, limit: batchSize });
    for (const candidate of candidates) {
      const reason = expiryReason(candidate, at, { maxLifetimeMs });
      if (!reason) continue;
      if (await move(candidate, 'stopping', {}, reason)) report.expired++;
    }
  }

  let lastExpiryCheck = Number.NEGATIVE_INFINITY;

  /**
   * One pass. `kicked`: asked for by new work, which should not wait for the expiry query —
   * expiry is a matter of minutes, so a kicked pass looks for it only when the last look is a
   * poll interval old.
   */
  async function pass(kicked: boolean): Promise<PassReport> {
    report = { expired: 0, claimed: 0, transitions: 0, errors: 0 };
    const at = now().getTime();
    if (!kicked || at - lastExpiryCheck >= pollIntervalMs) {
      lastExpiryCheck = at;
      await stopExpired();
    }
    const claimed = await sessions.claimWork(options.owner, leaseMs, batchSize);
    report.claimed = claimed.length;
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const session = claimed[next++];
        if (session) await processWithLease(session);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    return report;
  }

  function runPass(kicked: boolean): Promise<PassReport> {
    // Passes never overlap within one reconciler (a kick during a pass runs another after it).
    const run = () => pass(kicked);
    const result = chain.then(run, run);
    chain = result.catch(() => undefined);
    return result;
  }
  const runOnce = () => runPass(false);

  // ---- loop -------------------------------------------------------------------------------

  let running = false;
  let kicked = false;
  /** Whether the loop's next pass was asked for by a kick (rather than the poll timer). */
  let byKick = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;

  function kick() {
    kicked = true;
    byKick = true;
    wake?.();
  }

  function start() {
    if (running) return;
    running = true;
    loop = (async () => {
      while (running) {
        kicked = false;
        const asked = byKick;
        byKick = false;
        try {
          await runPass(asked);
        } catch (error) {
          log.error({ err: error }, 'reconciler pass failed');
        }
        if (!running || kicked) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    })();
  }

  async function stop() {
    running = false;
    wake?.();
    await loop;
    loop = null;
    for (const id of [...watches.keys()]) unwatch(id);
    // Hand what this replica was watching to the others at once instead of after the lease.
    await Promise.all([...held].map((id) => sessions.releaseLease(id, options.owner).catch(() => undefined)));
    held.clear();
  }

  return { runOnce, start, stop, kick };
}
