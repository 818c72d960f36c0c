import { type TimelinePage, ZSessionTimelineInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { loadSessionFactsFor } from './chronicle-access';
import type { Chronicles } from './ports/chronicles';
import type { SessionLookup } from './ports/session-lookup';
import type { TimelineEvents } from './ports/timeline-events';
import { timelinePage } from './timeline-page';

export interface SessionTimelineDeps {
  sessions: SessionLookup;
  chronicles: Chronicles;
  timeline: TimelineEvents;
  authorization: Authorization;
}

/** `timeline.bySession`: the session's reported events by type and time range (empty before the first). */
export const sessionTimeline =
  (deps: SessionTimelineDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionTimelineInput>): Promise<TimelinePage> => {
    const input = validateInput(ZSessionTimelineInput, rawInput, 'timeline request');
    const session = await loadSessionFactsFor(deps, principal, input.sessionId, ['read']);
    const chronicle = await deps.chronicles.bySession(session.id);
    if (!chronicle) return { items: [], nextCursor: null };
    return timelinePage(deps.timeline, chronicle.id, input);
  };
