import { type TimelinePage, ZChronicleTimelineInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { loadChronicleFor } from './chronicle-access';
import type { Chronicles } from './ports/chronicles';
import type { TimelineEvents } from './ports/timeline-events';
import { timelinePage } from './timeline-page';

export interface ChronicleTimelineDeps {
  chronicles: Chronicles;
  timeline: TimelineEvents;
  authorization: Authorization;
}

/** `chronicles.timeline`: a chronicle's events by type and time range, oldest first. */
export const chronicleTimeline =
  (deps: ChronicleTimelineDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZChronicleTimelineInput>): Promise<TimelinePage> => {
    const input = validateInput(ZChronicleTimelineInput, rawInput, 'timeline request');
    const chronicle = await loadChronicleFor(deps, principal, input.id, 'read');
    return timelinePage(deps.timeline, chronicle.id, input);
  };
