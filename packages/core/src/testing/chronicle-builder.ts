import type { ChronicleRecord } from '../chronicles/chronicle-record';

const t0 = new Date('2026-03-01T10:00:00.000Z');

/** A draft chronicle of session `s-1` (alice, tenant `t-1`) with a summary and unfinished work. */
export const aChronicle = (overrides: Partial<ChronicleRecord> = {}): ChronicleRecord => ({
  id: 'c-1',
  sessionId: 's-1',
  ownerId: 'u-alice',
  tenantId: 't-1',
  status: 'draft',
  partial: false,
  project: 'api',
  repo: 'https://github.com/acme/api.git',
  branch: 'feature/x',
  model: 'claude-sonnet',
  templateName: 'web-app',
  profileName: 'big',
  sessionName: 'fix-login',
  summary: 'Fixed the login form.',
  keyChanges: ['src/login.ts: validation'],
  unfinishedWork: 'Add a test for the error path.',
  tokensUsed: 0,
  costUsd: 0,
  durationSeconds: null,
  tags: [],
  parentChronicleId: null,
  startedAt: t0,
  reportReceivedAt: null,
  completedAt: null,
  createdAt: t0,
  updatedAt: t0,
  ...overrides,
});
