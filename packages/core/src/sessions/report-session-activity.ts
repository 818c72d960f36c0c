import type { Principal } from '@volundr/contracts/principal';
import { ZReportActivityInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Clock } from '../shared/ports/clock';
import type { SessionEvents } from './ports/session-events';
import type { Sessions } from './ports/sessions';
import { recordEvent } from './record-event';
import { loadSessionFor } from './session-access';
import { validateInput } from './validate-input';

export interface ReportSessionActivityDeps {
  sessions: Sessions;
  events: SessionEvents;
  authorization: Authorization;
  clock: Clock;
}

/**
 * The broker's report of what the agent is doing. Every report is activity (it resets the
 * idle clock, browser attached or not); a change of activity state is also an event.
 */
export const reportSessionActivity =
  (deps: ReportSessionActivityDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZReportActivityInput>): Promise<void> => {
    const input = validateInput(ZReportActivityInput, rawInput, 'activity report');
    const session = await loadSessionFor(deps, principal, input.id, 'report_activity');
    const now = deps.clock.now();
    await deps.sessions.recordActivity(session.id, { state: input.state, metadata: input.metadata, at: now });
    if (session.activityState !== input.state) {
      await recordEvent(
        deps.events,
        session,
        { type: 'activity_changed', data: { state: input.state, metadata: input.metadata } },
        now,
      );
    }
  };
