import type { Session, SessionState } from '@volundr/contracts/sessions';

let counter = 0;

/** A valid API session for tests: `aSession({ state: 'running' })`. */
export function aSession(overrides: Partial<Session> = {}): Session {
  counter += 1;
  const at = '2026-01-01T10:00:00.000Z';
  return {
    id: `s-${counter}`,
    name: `session-${counter}`,
    ownerId: 'u-1',
    tenantId: 't-1',
    model: 'claude-sonnet-4-5',
    cli: 'claude',
    source: { type: 'git', repo: 'https://git.example/acme/app.git', branch: 'main' },
    state: 'running' satisfies SessionState,
    stateReason: null,
    endpoints: null,
    templateName: null,
    profileName: null,
    presetId: null,
    parentChronicleId: null,
    terminalRestricted: false,
    idleTimeoutMinutes: null,
    activityState: 'idle',
    activityMetadata: {},
    lastActivityAt: null,
    tokensUsed: 0,
    costUsd: 0,
    messageCount: 0,
    provisioningStartedAt: null,
    runningSince: null,
    stoppedAt: null,
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
