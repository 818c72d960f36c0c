import type { SessionEvent } from '@volundr/contracts/session-events';
import type { ZCreateSessionInput } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { aPrincipal } from '../testing/principal-builder';
import { aSessionWorld, type SessionWorldOptions } from '../testing/session-world';
import { archiveSession } from './archive-session';
import { createSession } from './create-session';
import { createReconciler, type ReconcilerOptions } from './reconciler';
import { startSession } from './start-session';
import { stopSession } from './stop-session';

const alice = aPrincipal().build();
const blank = { name: 'work', model: 'claude-sonnet', source: { type: 'blank' as const } };

function setup(world: SessionWorldOptions = {}, options: Partial<ReconcilerOptions> = {}) {
  const w = aSessionWorld(world);
  const reconciler = createReconciler(w.deps, { owner: 'api-1', ...options });
  const create = (input: Partial<z.input<typeof ZCreateSessionInput>> = {}) =>
    createSession(w.deps)(alice, { ...blank, ...input });
  const stateOf = async (id: string) => (await w.sessions.byId(id))?.state;
  return { ...w, reconciler, create, stateOf };
}

const types = (events: SessionEvent[]) =>
  events.map((e) => (e.type === 'state_changed' ? `${e.data.from}→${e.data.to}` : e.type));

describe('reconciler: starting → provisioning → running', () => {
  it('takes a session to running in one pass when the pod is ready at once', async () => {
    const t = setup();
    const session = await t.create();
    const report = await t.reconciler.runOnce();
    expect(report).toMatchObject({ claimed: 1, transitions: 2, errors: 0 });
    const stored = await t.sessions.byId(session.id);
    expect(stored).toMatchObject({
      state: 'running',
      leaseOwner: null,
      endpoints: { chat: `/s/${session.id}/ws/chat` },
    });
    expect(stored?.runtime).toMatchObject({
      attempt: 1,
      attemptId: `${session.id}-1`,
      readyContainers: ['skuld', 'terminal', 'ide'],
    });
    expect(stored?.spec?.session.id).toBe(session.id);
    expect(types(t.events.of(session.id))).toEqual([
      'session_created',
      'created→starting',
      ...Array(10).fill('contributor_applied'),
      'pod_submitted',
      'starting→provisioning',
      'container_ready',
      'container_ready',
      'container_ready',
      'provisioning→running',
    ]);
    expect(t.podManager.startsOf(session.id)).toHaveLength(1);
  });

  it('frees the lease with the write that ends the work, not with a write of its own', async () => {
    const t = setup();
    let releases = 0;
    const release = t.sessions.releaseLease.bind(t.sessions);
    t.sessions.releaseLease = async (...args) => {
      releases++;
      return release(...args);
    };
    const session = await t.create();
    await t.reconciler.runOnce();
    await stopSession(t.deps)(alice, { id: session.id });
    await t.reconciler.runOnce();
    expect(await t.sessions.byId(session.id)).toMatchObject({ state: 'stopped', leaseOwner: null });
    expect(releases).toBe(0);
    // Work that ends without such a write (a lost race) still lets go of the lease.
    await startSession(t.deps)(alice, { id: session.id });
    t.sessions.failNextUpdate = new Error('connection reset');
    await t.reconciler.runOnce();
    expect(releases).toBe(1);
    expect((await t.sessions.byId(session.id))?.leaseOwner).toBeNull();
  });

  it('announces each container once as it becomes ready and keeps the lease meanwhile', async () => {
    const t = setup({ podMode: 'manual' });
    const session = await t.create();
    await t.reconciler.runOnce();
    expect(await t.sessions.byId(session.id)).toMatchObject({ state: 'provisioning', leaseOwner: 'api-1' });
    t.podManager.markReady(session.id, ['skuld']);
    const readyCount = () => t.events.of(session.id).filter((e) => e.type === 'container_ready').length;
    await t.reconciler.runOnce();
    expect(readyCount()).toBe(1);
    await t.reconciler.runOnce();
    expect(readyCount()).toBe(1);
    expect((await t.sessions.byId(session.id))?.runtime.readyContainers).toEqual(['skuld']);
    t.podManager.markReady(session.id);
    await t.reconciler.runOnce();
    const ready = t.events.of(session.id).filter((e) => e.type === 'container_ready');
    expect(ready.map((e) => e.data)).toEqual([
      { container: 'skuld', ready: 1, total: 3 },
      { container: 'terminal', ready: 2, total: 3 },
      { container: 'ide', ready: 3, total: 3 },
    ]);
    expect(await t.stateOf(session.id)).toBe('running');
    expect(t.podManager.startsOf(session.id)).toHaveLength(1);
  });

  it('reaches running from a pushed status change without waiting for the poll interval', async () => {
    const t = setup({ podMode: 'manual' }, { pollIntervalMs: 60_000 });
    const session = await t.create();
    const controller = new AbortController();
    const running = (async () => {
      for await (const e of t.events.subscribe({ tenantId: 't-1' }, undefined, controller.signal))
        if (e.type === 'state_changed' && e.data.to === 'provisioning') t.podManager.markReady(session.id);
        else if (e.type === 'state_changed' && e.data.to === 'running') return true;
      return false;
    })();
    t.reconciler.start();
    const deadline = setTimeout(() => controller.abort(), 5_000);
    try {
      expect(await running).toBe(true);
    } finally {
      clearTimeout(deadline);
      controller.abort();
      await t.reconciler.stop();
    }
    expect(t.podManager.watcherCount).toBe(0);
  });

  it('fails with the reason when provisioning times out, and stops the pod', async () => {
    const t = setup({ podMode: 'manual' }, { provisioningTimeoutMs: 300_000 });
    const session = await t.create();
    await t.reconciler.runOnce();
    t.podManager.markReady(session.id, ['skuld', 'terminal']);
    t.clock.advance(299_000);
    await t.reconciler.runOnce();
    expect(await t.stateOf(session.id)).toBe('provisioning');
    t.clock.advance(1_000);
    await t.reconciler.runOnce();
    const stored = await t.sessions.byId(session.id);
    expect(stored?.state).toBe('failed');
    expect(stored?.stateReason).toBe(
      "Provisioning timed out after 300 s (not ready: ide). Check the session's logs, then start it again.",
    );
    expect(stored?.leaseOwner).toBeNull();
    expect(t.podManager.stopCalls).toHaveLength(1);
  });

  it('fails with the runtime’s message when the pod fails', async () => {
    const t = setup({ podMode: 'manual' });
    const session = await t.create();
    await t.reconciler.runOnce();
    t.podManager.failPod(session.id, 'ImagePullBackOff: skuld:9 not found');
    await t.reconciler.runOnce();
    expect((await t.sessions.byId(session.id))?.stateReason).toBe(
      "The session's runtime failed while provisioning: ImagePullBackOff: skuld:9 not found. Check the session's logs, then start it again.",
    );
  });

  it('fails with the reason when the runtime refuses the start', async () => {
    const t = setup();
    const session = await t.create();
    t.podManager.failNextStart('namespace quota exceeded');
    await t.reconciler.runOnce();
    expect(await t.sessions.byId(session.id)).toMatchObject({
      state: 'failed',
      stateReason: expect.stringContaining('The runtime could not start the session: namespace quota exceeded.'),
    });
  });

  it('fails naming the contributor when the pipeline cannot build the spec', async () => {
    const t = setup();
    const session = await t.create({
      source: { type: 'git', repo: 'https://git.example.test/org/api', branch: 'main' },
    });
    t.deps.gitRepositories.cloneInfo = async () => {
      throw new Error('git.example.test answered 503');
    };
    await t.reconciler.runOnce();
    const stored = await t.sessions.byId(session.id);
    expect(stored?.stateReason).toBe(
      'Could not prepare the session: Git failed: git.example.test answered 503. Fix this, then start the session again.',
    );
    expect(t.events.of(session.id).find((e) => e.type === 'contributor_failed')?.data).toEqual({
      contributor: 'Git',
      message: 'Git failed: git.example.test answered 503',
    });
    expect(t.podManager.startCalls).toHaveLength(0);
  });

  it('reproduces the same launch on restart', async () => {
    const t = setup();
    const session = await t.create({
      templateName: 'web-app',
      source: { type: 'git', repo: 'https://git.example.test/org/api', branch: 'main' },
    });
    await t.reconciler.runOnce();
    await stopSession(t.deps)(alice, { id: session.id });
    await t.reconciler.runOnce();
    await startSession(t.deps)(alice, { id: session.id });
    await t.reconciler.runOnce();
    const [first, second] = [...t.podManager.pods.values()].map((p) => p.spec);
    expect(t.podManager.startsOf(session.id).map((a) => a.id)).toEqual([`${session.id}-1`, `${session.id}-2`]);
    expect(second).toEqual(first);
    expect(first?.agent.setupScripts).toEqual(['npm ci']);
  });
});

describe('reconciler: stopping', () => {
  it('stops the pod, runs every cleanup and keeps the workspace', async () => {
    const t = setup();
    const session = await t.create();
    await t.reconciler.runOnce();
    t.storage.calls.length = 0;
    await stopSession(t.deps)(alice, { id: session.id });
    await t.reconciler.runOnce();
    const stored = await t.sessions.byId(session.id);
    expect(stored).toMatchObject({ state: 'stopped', endpoints: null, leaseOwner: null });
    expect(t.podManager.stopCalls.map((h) => h.attemptId)).toEqual([`${session.id}-1`]);
    expect(t.secretInjection.calls).toEqual([`cleanupSession:${session.id}`]);
    expect(t.secrets.calls).toEqual([`deleteSessionSecrets:${session.id}`]);
    expect(t.storage.calls).toEqual([`archiveWorkspace:${session.id}`]);
    expect(t.gateway.calls.at(-1)).toBe(`removeRoutes:${session.id}`);
  });

  it('fails with a reason when the runtime cannot stop the pod', async () => {
    const t = setup();
    const session = await t.create();
    await t.reconciler.runOnce();
    await stopSession(t.deps)(alice, { id: session.id });
    t.podManager.failStop = 'connection refused';
    await t.reconciler.runOnce();
    expect((await t.sessions.byId(session.id))?.stateReason).toContain(
      "Could not stop the session's runtime: connection refused.",
    );
  });

  it('archives a session that was asked to archive while running, once stopped', async () => {
    const t = setup();
    const session = await t.create();
    await t.reconciler.runOnce();
    await archiveSession(t.deps)(alice, { id: session.id });
    await t.reconciler.runOnce();
    expect(await t.stateOf(session.id)).toBe('archived');
    expect(types(t.events.of(session.id)).slice(-3)).toEqual([
      'running→stopping',
      'stopping→stopped',
      'stopped→archived',
    ]);
  });

  it('stops a pod whose start was still in flight when the user stopped the session', async () => {
    const t = setup();
    const session = await t.create();
    const held = t.podManager.holdNextStart(true);
    const pass = t.reconciler.runOnce();
    await until(() => t.podManager.startCalls.length === 1);
    await stopSession(t.deps)(alice, { id: session.id });
    held.release();
    await pass;
    expect(await t.stateOf(session.id)).toBe('stopped');
    expect(t.podManager.stopCalls.map((h) => h.attemptId)).toEqual([`${session.id}-1`]);
  });

  it('removes a pod whose session was deleted while it was being started', async () => {
    const t = setup();
    const session = await t.create();
    const held = t.podManager.holdNextStart(true);
    const pass = t.reconciler.runOnce();
    await until(() => t.podManager.startCalls.length === 1);
    t.sessions.rows.delete(session.id);
    held.release();
    await pass;
    expect(t.podManager.deleteCalls.map((c) => c.handle.attemptId)).toEqual([`${session.id}-1`]);
  });
});

/** Waits for a condition set by concurrent work, by yielding to it (bounded, never by time). */
async function until(condition: () => boolean) {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never became true');
}
