/**
 * What the broker must remember across restarts besides the event log: when the session
 * started, the CLI's own session id (to resume it), the chosen model, git positions and which
 * files changed. Kept in `<state dir>/state.json`, replaced atomically (write + rename).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';

const ZBrokerState = z.object({
  version: z.literal(1),
  sessionStartedAt: z.iso.datetime({ offset: true }),
  sessionReported: z.boolean().default(false),
  cliSessionId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  /** HEAD when the session started (final report: commits since then); null = no commit yet; absent = not looked yet. */
  startHead: z.string().nullable().optional(),
  /** Last HEAD whose commits were reported (null = no commit yet). */
  lastHead: z.string().nullable().optional(),
  /** Workspace paths changed during the session (final report fallback), bounded. */
  changedFiles: z.array(z.string()).default([]),
});
export type BrokerState = z.infer<typeof ZBrokerState>;

export interface BrokerStateStore {
  readonly current: Readonly<BrokerState>;
  update(patch: Partial<BrokerState>): void;
  /** Remembers a changed path (deduplicated, at most MAX_CHANGED_FILES kept). */
  addChangedFile(path: string): void;
}

const MAX_CHANGED_FILES = 500;

export function openBrokerState(stateDir: string, deps: { logger: Logger; now: () => Date }): BrokerStateStore {
  const path = join(stateDir, 'state.json');
  let state: BrokerState = fresh();
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    let parsed: ReturnType<typeof ZBrokerState.safeParse> | null = null;
    try {
      parsed = ZBrokerState.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      state = parsed.data;
    } else {
      // Keep the unreadable file for a person to look at; a fresh state only loses resume.
      const aside = `${path}.unreadable-${Date.now()}`;
      renameSync(path, aside);
      deps.logger.warn({ path, movedTo: aside }, 'broker state is unreadable; starting with a fresh one');
      write();
    }
  } else {
    write();
  }

  function fresh(): BrokerState {
    return { version: 1, sessionStartedAt: deps.now().toISOString(), sessionReported: false, changedFiles: [] };
  }

  function write() {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, path);
  }

  return {
    get current() {
      return state;
    },
    update(patch) {
      state = { ...state, ...patch };
      write();
    },
    addChangedFile(file) {
      if (state.changedFiles.includes(file)) return;
      const changedFiles = [...state.changedFiles, file].slice(-MAX_CHANGED_FILES);
      state = { ...state, changedFiles };
      write();
    },
  };
}
