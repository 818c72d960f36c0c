import type { Principal } from '@volundr/contracts/principal';
import { emptyRuntime, type LaunchContext, type SessionState } from '@volundr/contracts/sessions';
import type { SessionRecord } from '../sessions/session-record';

export function aLaunch(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    cli: 'claude',
    model: 'claude-sonnet',
    profileName: null,
    templateName: null,
    presetId: null,
    systemPrompt: null,
    initialPrompt: null,
    resources: {},
    env: {},
    envSecretRefs: [],
    mcpServers: [],
    setupScripts: [],
    repos: [],
    credentialNames: [],
    integrationIds: [],
    terminalRestricted: false,
    idleTimeoutMinutes: null,
    ...overrides,
  };
}

export interface SessionBuilder {
  withId(id: string): SessionBuilder;
  named(name: string): SessionBuilder;
  ownedBy(principal: Pick<Principal, 'userId' | 'tenantId'>): SessionBuilder;
  with(fields: Partial<SessionRecord>): SessionBuilder;
  inState(state: SessionState): SessionBuilder;
  starting(): SessionBuilder;
  provisioning(): SessionBuilder;
  running(): SessionBuilder;
  stopping(): SessionBuilder;
  stopped(): SessionBuilder;
  failed(reason?: string): SessionBuilder;
  archived(): SessionBuilder;
  build(): SessionRecord;
}

const T0 = new Date('2026-01-01T00:00:00.000Z');

/**
 * A blank `created` session of `u-alice` in `t-1`; state helpers fill the fields that go with a
 * state. `withId` also derives the name (names are unique per owner) unless `named` set one.
 */
export function aSession(initial?: SessionRecord, explicitName = false): SessionBuilder {
  const s: SessionRecord = initial ?? {
    id: 'sess-1',
    name: 'my-session',
    ownerId: 'u-alice',
    tenantId: 't-1',
    model: 'claude-sonnet',
    source: { type: 'blank' },
    state: 'created',
    stateReason: null,
    version: 1,
    launch: aLaunch(),
    spec: null,
    endpoints: null,
    runtime: emptyRuntime,
    templateName: null,
    profileName: null,
    presetId: null,
    parentChronicleId: null,
    idleTimeoutMinutes: null,
    activityState: 'idle',
    activityMetadata: {},
    lastActivityAt: null,
    tokensUsed: 0,
    costUsd: 0,
    messageCount: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    provisioningStartedAt: null,
    runningSince: null,
    stoppedAt: null,
    archivedAt: null,
    createdAt: T0,
    updatedAt: T0,
  };
  const next = (fields: Partial<SessionRecord>, named = explicitName) => aSession({ ...s, ...fields }, named);
  const nameFor = (id: string) => `session-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
  const attempt = () => ({
    attempt: 1,
    attemptId: `${s.id}-1`,
    submittedAt: T0.toISOString(),
    handle: { backend: 'memory', id: `pod-${s.id}-1`, attemptId: `${s.id}-1` },
    readyContainers: [],
    afterStop: null,
  });
  return {
    withId: (id) => next(explicitName ? { id } : { id, name: nameFor(id) }),
    named: (name) => next({ name }, true),
    ownedBy: (p) => next({ ownerId: p.userId, tenantId: p.tenantId }),
    with: (fields) => next(fields),
    inState: (state) => next({ state }),
    starting: () => next({ state: 'starting', runtime: { ...emptyRuntime, attempt: 1 } }),
    provisioning: () => next({ state: 'provisioning', runtime: attempt(), provisioningStartedAt: T0 }),
    running: () =>
      next({
        state: 'running',
        runtime: { ...attempt(), readyContainers: ['skuld', 'terminal', 'ide'] },
        provisioningStartedAt: T0,
        runningSince: T0,
        endpoints: { chat: `/s/${s.id}/ws/chat`, code: `/s/${s.id}/ide/`, terminal: `/s/${s.id}/terminal/` },
      }),
    stopping: () => next({ state: 'stopping', runtime: attempt(), runningSince: T0 }),
    stopped: () => next({ state: 'stopped', runtime: attempt(), stoppedAt: T0 }),
    failed: (reason = 'The runtime failed; start the session again.') =>
      next({ state: 'failed', stateReason: reason, runtime: attempt(), stoppedAt: T0 }),
    archived: () => next({ state: 'archived', runtime: attempt(), stoppedAt: T0, archivedAt: T0 }),
    build: () => structuredClone(s),
  };
}
