import type { SessionSource, SessionState } from '@volundr/contracts/sessions';

/** What chronicles need to know of a session: who owns it, what it runs on, where it is. */
export interface SessionFacts {
  id: string;
  ownerId: string;
  tenantId: string;
  name: string;
  model: string;
  source: SessionSource;
  templateName: string | null;
  profileName: string | null;
  state: SessionState;
  /** Set by reforge: the chronicle this session continues. */
  parentChronicleId: string | null;
  runningSince: Date | null;
  stoppedAt: Date | null;
}

/** A narrow read of the sessions store, so chronicles do not depend on the whole Sessions port. */
export interface SessionLookup {
  byId(id: string): Promise<SessionFacts | null>;
}
